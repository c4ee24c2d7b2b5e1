"""The article store on real files: round-trips, chunks, search, locks, formats, damage."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from summaries.article import Article, RankedSentence, make_article_id
from summaries.errors import InputError, StoreError, StoreFormatError, StoreLocked
from summaries.store import Store
from tests.summaries.store_writer import WRITER_SCRIPT

DAY = dt.date(2026, 2, 25)


def make(day: dt.date, text: str, title: str = "A headline") -> Article:
    return Article(
        id=make_article_id(day, text),
        date=day,
        title=title,
        text=text,
        language="en",
        ranked=(RankedSentence(0, text),),
        ingested=dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc),
    )


def days(n: int) -> list[dt.date]:
    return [DAY + dt.timedelta(days=i) for i in range(n)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data") as opened:
        yield opened


def test_round_trip(store: Store) -> None:
    d1, d2, d3 = days(3)
    articles = [make(d2, "Second day, first."), make(d1, "First day."),
                make(d3, "Third day."), make(d2, "Second day, second.")]

    result = store.add(articles)

    assert result.added == [a.id for a in articles] and result.present == []
    assert store.count() == 4
    assert store.dates() == [d1, d2, d3]
    assert store.by_date(d2) == [articles[0], articles[3]]
    assert store.by_date(d1 - dt.timedelta(days=1)) == []
    assert all(store.get(a.id) == a for a in articles)
    assert store.get(make(d1, "never stored").id) is None
    assert store.get("not-an-id") is None
    assert store.latest(3) == [articles[2], articles[3], articles[0]]
    assert store.latest(0) == []
    assert store.size_bytes() > 0


def test_everything_survives_reopening(tmp_path: Path) -> None:
    articles = [make(day, f"Article of {day}.") for day in days(5)]
    with Store.open(tmp_path / "data") as store:
        store.add(articles)
    with Store.open(tmp_path / "data", writable=False) as store:
        assert [a for day in store.dates() for a in store.by_date(day)] == articles
        assert store.search("article") == articles[::-1]


def test_adding_again_is_idempotent(store: Store) -> None:
    first, second = make(DAY, "One."), make(DAY, "Two.")
    store.add([first])

    result = store.add([second, first, second])

    assert result.added == [second.id]
    assert result.present == [first.id, second.id]
    assert store.by_date(DAY) == [first, second]
    assert store.add([first, second]).present == [first.id, second.id]
    assert store.count() == 2


def test_a_bad_article_rejects_the_whole_batch(store: Store) -> None:
    good = make(DAY, "Fine.")
    wrong_day = replace(make(DAY, "Dated wrong."), date=DAY + dt.timedelta(days=1))
    with pytest.raises(InputError, match="the id says"):
        store.add([good, wrong_day])
    with pytest.raises(InputError, match="not a newsbot article id"):
        store.add([replace(good, id="x")])
    assert store.count() == 0


def test_a_big_day_is_split_into_chunks(store: Store) -> None:
    articles = [make(DAY, f"Item number {i}.") for i in range(2_300)]
    for start in range(0, len(articles), 500):
        store.add(articles[start : start + 500])

    folder = store.data_dir / "articles" / "2026"
    assert sorted(p.name for p in folder.glob("*.json")) == [
        "2026-02-25.1.json", "2026-02-25.2.json", "2026-02-25.json"]
    assert len(orjson.loads((folder / "2026-02-25.json").read_bytes())["articles"]) == 1_000
    assert store.by_date(DAY) == articles
    assert store.count() == 2_300
    assert store.get(articles[-1].id) == articles[-1]
    assert store.add(articles[:10] + articles[-10:]).added == []
    assert store.search("number 1234") == [articles[1234]]


def test_search_matches_whole_casefolded_words_newest_first(store: Store) -> None:
    d1, d2 = days(2)
    oil = make(d1, "Oil prices rose in BAKU.", title="Energy")
    gas = make(d2, "Gas flows to Europe; Baku's pipeline is full.", title="Straße news")
    later_oil = make(d2, "OIL and gas exports.")
    store.add([oil, gas, later_oil])

    assert store.search("baku") == [gas, oil]
    assert store.search("oil") == [later_oil, oil]
    assert store.search("oil gas") == [later_oil]
    assert store.search("STRASSE") == [gas]  # casefolded title
    assert store.search("energy prices") == [oil]
    assert store.search("bak") == []  # whole words only
    assert store.search("pipelines") == []
    assert store.search("absentword") == []
    assert store.search("  ...  ") == []
    assert store.search("baku", limit=1) == [gas]


def test_search_opens_only_days_that_may_match(tmp_path: Path) -> None:
    d1, d2 = days(2)
    wanted = make(d2, "The harbour reopened today.")
    with Store.open(tmp_path / "data") as store:
        store.add([make(d1, "Quiet day without news " * 20), wanted])
    # Damage the other day's partition without changing its size: only a search that
    # has to open that file can notice.
    other = tmp_path / "data" / "articles" / "2026" / f"{d1}.json"
    raw = other.read_bytes()
    other.write_bytes(raw[:40] + b"#" * (len(raw) - 80) + raw[-40:])

    with Store.open(tmp_path / "data", writable=False) as store:
        assert store.search("harbour") == [wanted]
        assert store.search("absentword") == []
        with pytest.raises(StoreError, match=str(other)):
            store.search("quiet")


def test_a_reader_sees_what_the_writer_adds(tmp_path: Path) -> None:
    first, second = make(DAY, "Early."), make(DAY, "Late.")
    with Store.open(tmp_path / "data") as writer:
        writer.add([first])
        with Store.open(tmp_path / "data", writable=False) as reader:
            assert reader.by_date(DAY) == [first]
            assert reader.count() == 1
            writer.add([second])
            assert reader.by_date(DAY) == [first, second]
            assert reader.search("late") == [second]
            assert reader.count() == 2
            with pytest.raises(StoreError, match="read-only"):
                reader.add([make(DAY, "Refused.")])


def test_a_second_writer_in_the_same_process_is_refused(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        store.add([make(DAY, "Held.")])
        with pytest.raises(StoreLocked, match=rf"in use by another newsbot process \(pid {os.getpid()}\)"):
            Store.open(tmp_path / "data")
        with Store.open(tmp_path / "data", writable=False) as reader:
            assert reader.count() == 1
    with Store.open(tmp_path / "data") as again:  # closing released the lock
        assert again.count() == 1


def test_a_second_writer_process_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, str(WRITER_SCRIPT), "hold", str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLocked) as refused:
            Store.open(data)
        assert str(refused.value) == (
            f"data folder {data} is in use by another newsbot process (pid {holder.pid})")
        with Store.open(data, writable=False) as reader:
            assert reader.dates() == []
    finally:
        holder.communicate("")
    with Store.open(data):
        pass


def test_a_newer_format_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store.open(data).close()
    (data / "format.json").write_bytes(b'{"kind": "newsbot-store", "format": 2}')
    with pytest.raises(StoreFormatError, match="newer newsbot"):
        Store.open(data)
    with pytest.raises(StoreFormatError, match="newer newsbot"):
        Store.open(data, writable=False)


def test_a_folder_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreFormatError, match="not a newsbot data folder"):
        Store.open(tmp_path)
    (tmp_path / "format.json").write_text('{"format": 1}')
    with pytest.raises(StoreFormatError, match="not a newsbot format file"):
        Store.open(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["format.json", "notes.txt"]
    with pytest.raises(StoreError, match="no newsbot data folder"):
        Store.open(tmp_path / "missing", writable=False)


@pytest.mark.parametrize("damage", [b'{"kind": "newsbot-art', b'{"kind": "newsbot-articles", '
                                    b'"format": 1, "articles": [{"id": 1}]}'])
def test_a_damaged_partition_names_its_file(tmp_path: Path, damage: bytes) -> None:
    with Store.open(tmp_path / "data") as store:
        store.add([make(DAY, "Soon damaged.")])
    partition = tmp_path / "data" / "articles" / "2026" / f"{DAY}.json"
    partition.write_bytes(damage)
    with Store.open(tmp_path / "data", writable=False) as store:
        with pytest.raises(StoreError, match=f"partition file {partition} is corrupt"):
            store.by_date(DAY)


def test_a_table_keeps_small_records(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        store.table("chats").insert({"chat_id": 42, "length": 3})
    assert (tmp_path / "data" / "tables" / "chats.json").exists()
    with Store.open(tmp_path / "data", writable=False) as store:
        chats = store.table("chats")
        assert chats.all() == [{"chat_id": 42, "length": 3}]
        with pytest.raises(StoreError, match="read-only"):
            chats.insert({"chat_id": 7})
    with Store.open(tmp_path / "data") as store, pytest.raises(ValueError):
        store.table("../escape")


def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.dates()


def test_story_members_are_found_through_the_sidecars(tmp_path: Path) -> None:
    """A story's other articles are found from either end; a story of one has none."""
    first = make(DAY, "The council voted for two electric ferries.", "Ferries vote")
    second = replace(make(DAY + dt.timedelta(days=1), "Two electric ferries were approved."),
                     story=first.id, source="Other")
    unrelated = [make(day, f"Story number {n} about something else.") for n, day in enumerate(days(5))]
    with Store.open(tmp_path / "data") as store:
        store.add([first, second, *unrelated])
    with Store.open(tmp_path / "data", writable=False) as store:
        assert [a.id for a in store.story(first)] == [second.id]
        assert [a.id for a in store.story(second)] == [first.id]
        assert store.story(unrelated[3]) == []


def test_headlines_are_the_days_articles_without_bodies(tmp_path: Path) -> None:
    stored = [make(DAY, f"Story {n} about the harbour. It goes on.", f"Title {n}") for n in range(3)]
    with Store.open(tmp_path / "data") as store:
        store.add(stored[:2])
        store.add(stored[2:])  # a second batch rewrites the chunk and its headlines
    with Store.open(tmp_path / "data", writable=False) as store:
        heads = store.headlines(DAY)
        assert heads == [a.headline() for a in store.by_date(DAY)]
        assert [h.title for h in heads] == ["Title 0", "Title 1", "Title 2"]
        assert heads[0].summary(1) == stored[0].summary(1)
        assert not hasattr(heads[0], "text")
        assert store.headlines(DAY + dt.timedelta(days=1)) == []


def test_headlines_fall_back_to_the_partition_when_their_file_is_stale(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        store.add([make(DAY, "First story. Short.", "First")])
    heads_file = next((tmp_path / "data").rglob("*.heads"))
    stale = heads_file.read_bytes()
    with Store.open(tmp_path / "data") as store:
        store.add([make(DAY, "Second story. Short.", "Second")])
    heads_file.write_bytes(stale)  # as if a crash had left the old one (the journal prevents it)
    with Store.open(tmp_path / "data", writable=False) as store:
        assert [h.title for h in store.headlines(DAY)] == ["First", "Second"]


def test_latest_headlines_are_latest_without_bodies(store: Store) -> None:
    stored = [make(day, f"Story of {day}. Short.") for day in days(3)]
    store.add(stored)
    assert store.latest_headlines(2) == [a.headline() for a in store.latest(2)]
    assert store.latest_headlines(0) == []
