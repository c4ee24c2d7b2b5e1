"""One article read from its record, where the day's sidecar says it lies, not its whole day."""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from summaries.article import Article
from summaries.errors import StoreError
from summaries.partition import Chunk, encode_partition
from summaries.store import Store
from tests.summaries.test_store import DAY, make

HEADER = struct.Struct("<4sHxxIIIQ")  # the sidecar's header, as sidecar.py writes it
ID_LENGTH = len("YYYYMMDD-0123456789")


def day_files(data: Path, day: dt.date = DAY) -> tuple[Path, Path]:
    folder = data / "articles" / f"{day.year}"
    return folder / f"{day}.json", folder / f"{day}.idx"


def spoil(partition: Path, article: Article) -> None:
    """Garble one article's record in place, keeping the file's size."""
    raw = partition.read_bytes()
    start = raw.index(orjson.dumps(article.to_dict()))
    partition.write_bytes(raw[:start] + b"!" * 40 + raw[start + 40:])


def as_older_sidecar(sidecar: Path) -> None:
    """Rewrite a sidecar as version 2 wrote it: no record spans after the filter."""
    raw = sidecar.read_bytes()
    magic, _, n_ids, count, n_bloom, size = HEADER.unpack_from(raw)
    end = HEADER.size + n_ids * ID_LENGTH + n_bloom
    sidecar.write_bytes(HEADER.pack(magic, 2, n_ids, count, n_bloom, size) + raw[HEADER.size:end])


def test_the_partition_file_is_the_same_bytes_as_before_spans() -> None:
    articles = [make(DAY, f"Story {n}. It has “quotes” and ünïcode.") for n in range(3)]
    data, spans = encode_partition(Chunk(DAY, 0), articles)
    assert data == orjson.dumps({"kind": "newsbot-articles", "format": 1, "day": DAY.isoformat(),
                                 "chunk": 0, "articles": [a.to_dict() for a in articles]})
    assert [orjson.loads(data[at:at + length]) for at, length in spans] == \
        [a.to_dict() for a in articles]


def test_an_article_is_read_without_the_rest_of_its_day(tmp_path: Path) -> None:
    stored = [make(DAY, f"Story {n} about the harbour. It goes on.") for n in range(30)]
    with Store.open(tmp_path / "data") as store:
        store.add(stored[:20])
        store.add(stored[20:])  # the chunk grows: its spans are written anew
    partition, _ = day_files(tmp_path / "data")
    spoil(partition, stored[0])
    with Store.open(tmp_path / "data", writable=False) as store:
        assert [store.get(a.id) for a in stored[1:]] == stored[1:]
        # Proof that only records were read: the whole day no longer parses.
        with pytest.raises(StoreError, match="corrupt"):
            store.get(stored[0].id)


def test_a_lone_articles_story_reads_no_day(tmp_path: Path) -> None:
    first = make(DAY, "The council voted for two electric ferries.", "Ferries vote")
    lone = make(DAY, "A cat was rescued from a tree.", "Cat")
    second = replace(make(DAY + dt.timedelta(days=1), "Two electric ferries were approved."),
                     story=first.id)
    with Store.open(tmp_path / "data") as store:
        store.add([first, lone, second])
    partition, _ = day_files(tmp_path / "data")
    spoil(partition, lone)  # the day no longer parses as a whole; `first`'s record does
    with Store.open(tmp_path / "data", writable=False) as store:
        assert store.story(lone) == []
        # No article of `first`'s day links to it: only its own record is read there.
        assert store.story(second) == [first]
        with pytest.raises(StoreError, match="corrupt"):
            store.by_date(DAY)


def test_a_day_written_before_spans_is_read_whole_until_it_is_rewritten(tmp_path: Path) -> None:
    stored = [make(DAY, f"Story {n}. Short.") for n in range(5)]
    with Store.open(tmp_path / "data") as store:
        store.add(stored)
    partition, sidecar = day_files(tmp_path / "data")
    as_older_sidecar(sidecar)
    with Store.open(tmp_path / "data") as store:
        assert [store.get(a.id) for a in stored] == stored
        assert store.story(stored[0]) == []
        later = make(DAY, "A later story. Short.")
        store.add([later])
    spoil(partition, stored[0])  # version 3 again: records are read one by one
    with Store.open(tmp_path / "data", writable=False) as store:
        assert [store.get(a.id) for a in [*stored[1:], later]] == [*stored[1:], later]


def test_spans_that_point_elsewhere_fall_back_to_the_whole_day(tmp_path: Path) -> None:
    stored = [make(DAY, f"Story {n}. Short.") for n in range(4)]
    with Store.open(tmp_path / "data") as store:
        store.add(stored)
    _, sidecar = day_files(tmp_path / "data")
    raw = sidecar.read_bytes()
    size = 8 * len(stored)  # the records' spans, then the headlines' spans, end the file
    records, heads = raw[-2 * size:-size], raw[-size:]

    def reverse(spans: bytes) -> bytes:
        return b"".join(reversed([spans[i:i + 8] for i in range(0, len(spans), 8)]))

    sidecar.write_bytes(raw[:-2 * size] + reverse(records) + reverse(heads))  # all point elsewhere
    with Store.open(tmp_path / "data", writable=False) as store:
        assert [store.get(a.id) for a in stored] == stored
        assert store.headlines_page(DAY, 1, 2) == (4, [a.headline() for a in stored[1:3]])


def spoil_headline(heads: Path, article: Article) -> None:
    raw = heads.read_bytes()
    start = raw.index(orjson.dumps(article.headline().to_dict()))
    heads.write_bytes(raw[:start] + b"!" * 40 + raw[start + 40:])


def test_a_page_of_a_day_is_read_from_its_records_across_chunks(tmp_path: Path) -> None:
    stored = [make(DAY, f"Item number {n}. Short.", f"Title {n}") for n in range(1_004)]
    with Store.open(tmp_path / "data") as store:
        store.add(stored[:600])
        store.add(stored[600:])  # chunk 0 fills up to 1,000; chunk 1 takes the rest
    heads = tmp_path / "data" / "articles" / f"{DAY.year}" / f"{DAY}.heads"
    spoil_headline(heads, stored[0])
    with Store.open(tmp_path / "data", writable=False) as store:
        assert store.headlines_page(DAY, 1, 5) == (1_004, [a.headline() for a in stored[1:6]])
        assert store.headlines_page(DAY, 997, 5) == (1_004, [a.headline() for a in stored[997:1_002]])
        assert store.headlines_page(DAY, 1_000, 8) == (1_004, [a.headline() for a in stored[1_000:]])
        assert store.headlines_page(DAY, 1_004, 5) == (1_004, [])
        assert store.headlines_page(DAY, 2, 0) == (1_004, [])
        assert store.headlines_page(DAY + dt.timedelta(days=1), 0, 5) == (0, [])
        # Proof that only the page's records were read: the whole file no longer parses.
        with pytest.raises(StoreError, match="corrupt"):
            store.headlines_page(DAY, 0, 5)


def test_a_page_without_spans_or_with_a_stale_file_is_cut_from_the_whole_list(tmp_path: Path) -> None:
    stored = [make(DAY, f"Story {n}. Short.", f"Title {n}") for n in range(7)]
    with Store.open(tmp_path / "data") as store:
        store.add(stored[:3])
    heads = tmp_path / "data" / "articles" / f"{DAY.year}" / f"{DAY}.heads"
    stale = heads.read_bytes()
    with Store.open(tmp_path / "data") as store:
        store.add(stored[3:])
    heads.write_bytes(stale)  # as if a crash had left the old one (the journal prevents it)
    with Store.open(tmp_path / "data", writable=False) as store:
        assert store.headlines_page(DAY, 2, 5) == (7, [a.headline() for a in stored[2:7]])
        assert store.headlines_page(DAY, -3, 2) == (7, [a.headline() for a in stored[:2]])
    _, sidecar = day_files(tmp_path / "data")
    as_older_sidecar(sidecar)
    with Store.open(tmp_path / "data", writable=False) as store:
        assert store.headlines_page(DAY, 5, 5) == (7, [a.headline() for a in stored[5:]])


def test_warming_reads_the_newest_days_indexes_while_they_fit(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    days = [DAY + dt.timedelta(days=n) for n in range(6)]
    with Store.open(tmp_path / "data") as store:
        store.add([make(day, f"Story of {day}. Short.") for day in days])
    with Store.open(tmp_path / "data", writable=False) as store:
        assert store.warm() == 6
    sidecar_size = day_files(tmp_path / "data")[1].stat().st_size
    monkeypatch.setattr("summaries.datafolder.INDEX_CACHE_BYTES", sidecar_size * 4 + 1)
    # The writer: a reader does not cache files written in the last moments (filecache.py).
    with Store.open(tmp_path / "data") as store:
        assert store.warm() == 3  # three of the four the cache holds: room for lookups
        cache = store._folder._indexes  # noqa: SLF001 - what was read, and what not
        warmed = [cache.peek(day_files(tmp_path / "data", day)[1]) is not None for day in days]
        assert warmed == [False, False, False, True, True, True]


def test_warming_skips_a_damaged_index_and_parses_no_day(tmp_path: Path) -> None:
    days = [DAY + dt.timedelta(days=n) for n in range(3)]
    stored = [make(day, f"Story of {day}. Short.") for day in days]
    with Store.open(tmp_path / "data") as store:
        store.add(stored)
    day_files(tmp_path / "data", days[1])[1].write_bytes(b"NBIX damaged")
    partition, sidecar = day_files(tmp_path / "data", days[2])
    spoil(partition, stored[2])  # the day would not parse,
    raw = sidecar.read_bytes()  # and its sidecar no longer matches it: a lookup would parse it
    magic, version, n_ids, count, n_bloom, size = HEADER.unpack_from(raw)
    sidecar.write_bytes(HEADER.pack(magic, version, n_ids, count, n_bloom, size + 1) +
                        raw[HEADER.size:])
    with Store.open(tmp_path / "data") as store:
        assert store.warm() == 2
        with pytest.raises(StoreError, match="corrupt"):
            store.get(stored[1].id)


def test_older_indexes_are_upgraded_a_chunk_at_a_time_newest_first(tmp_path: Path) -> None:
    days = [DAY + dt.timedelta(days=n) for n in range(4)]
    stored = [make(day, f"Story {n} of {day}. Short.") for day in days for n in range(3)]
    with Store.open(tmp_path / "data") as store:
        store.add(stored)
    for day in days[:3]:
        as_older_sidecar(day_files(tmp_path / "data", day)[1])
    partitions = {day: day_files(tmp_path / "data", day)[0].read_bytes() for day in days}
    with Store.open(tmp_path / "data") as store:
        upgraded, after = [], None
        while (after := store.upgrade_index(after)) is not None:
            upgraded.append(after.day)
        assert upgraded == [days[2], days[1], days[0]]  # the newest had spans already
        assert store.upgrade_index() is None
    assert {day: day_files(tmp_path / "data", day)[0].read_bytes() for day in days} == partitions
    for day in days:
        assert HEADER.unpack_from(day_files(tmp_path / "data", day)[1].read_bytes())[1] == 3
    spoil(day_files(tmp_path / "data", days[0])[0], stored[0])  # records are read one by one
    with Store.open(tmp_path / "data", writable=False) as store:
        assert [store.get(a.id) for a in stored[1:]] == stored[1:]
