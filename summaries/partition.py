"""Day partitions of the archive: their file names, the partition and headlines files.

    articles/2026/2026-02-25.json     chunk 0 of a day: up to CHUNK_ARTICLES articles
    articles/2026/2026-02-25.1.json   chunk 1, started when chunk 0 is full
    articles/2026/2026-02-25.heads    chunk 0's articles without their bodies (day lists)
    articles/2026/2026-02-25.idx      chunk 0's sidecar (sidecar.py)

Chunks keep the cost of adding to a huge day bounded: a batch rewrites only the day's
last chunk. Both files are written record by record, so the sidecar can say where each
record lies: a day's partition takes 2-3 ms to parse at 137 articles, its headlines
1 ms; one record, 0.05 ms.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import orjson

from summaries.article import Article, Headline, article_date_from_id
from summaries.errors import InputError, StoreError, StoreFormatError
from summaries.gcpause import collector_paused
from summaries.sidecar import Span, Spans

FORMAT = 1
CHUNK_ARTICLES = 1_000
_KIND = "newsbot-articles"
_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d*))?\.json")
_HEADS_KIND = "newsbot-headlines"


class Chunk(NamedTuple):
    """One partition file: a day and the chunk's number within it (0 first)."""

    day: dt.date
    number: int

    def path(self, articles_dir: Path) -> Path:
        """Where the chunk's articles live."""
        return _paths(articles_dir, self.day, self.number)[0]

    def sidecar(self, articles_dir: Path) -> Path:
        """Where the chunk's ids and Bloom filter live."""
        return _paths(articles_dir, self.day, self.number)[1]

    def headlines(self, articles_dir: Path) -> Path:
        """Where the chunk's articles without their bodies live (for day lists)."""
        return _paths(articles_dir, self.day, self.number)[2]


@functools.lru_cache(maxsize=8_192)
def _paths(articles_dir: Path, day: dt.date, number: int) -> tuple[Path, Path, Path]:
    # Remembered: pathlib takes ~25 µs to build one, and an article's story probes
    # eight days' files (measured: 40 % of a story lookup's time went to paths).
    suffix = f".{number}" if number else ""
    stem = f"{articles_dir}/{day.year:04d}/{day.isoformat()}{suffix}"
    return Path(f"{stem}.json"), Path(f"{stem}.idx"), Path(f"{stem}.heads")


def scan_year(folder: Path) -> dict[dt.date, list[int]]:
    """The chunk numbers of each day found in a year folder, each list ascending."""
    days: dict[dt.date, list[int]] = {}
    for name in (entry.name for entry in _scandir(folder)):
        match = _NAME.fullmatch(name)
        if not match:
            continue  # sidecars, temp files, anything a person put there
        try:
            day = dt.date.fromisoformat(match.group(1))
        except ValueError:
            continue
        days.setdefault(day, []).append(int(match.group(2) or 0))
    for numbers in days.values():
        numbers.sort()
    return days


def _scandir(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(folder))
    except FileNotFoundError:
        return []


def group_by_day(articles: list[Article]) -> dict[dt.date, list[Article]]:
    """Check a batch before anything is written, and split it by partition day."""
    groups: dict[dt.date, list[Article]] = {}
    seen: set[str] = set()
    for article in articles:
        if not isinstance(article, Article):
            raise InputError(f"expected an Article, got {type(article).__name__}")
        day = article_date_from_id(article.id)
        if day is None:
            raise InputError("the id is not a newsbot article id", source=article.id)
        if day != article.date:
            raise InputError(
                f"the id says {day} but the article is dated {article.date}", source=article.id
            )
        if article.id not in seen:
            seen.add(article.id)
            groups.setdefault(day, []).append(article)
    return groups


FILE_END = b"]}"  # what follows the last record in both files


def _with_records(fields: dict[str, object], records: Iterable[dict[str, object]]
                  ) -> tuple[bytes, list[Span]]:
    """orjson.dumps({**fields, "articles": records}), byte for byte, and where each
    record lies: put together here only to learn the spans on the way."""
    out = bytearray(orjson.dumps(fields)[:-1])
    out += b',"articles":['
    spans: list[Span] = []
    for n, record in enumerate(records):
        if n:
            out += b","
        raw = orjson.dumps(record)
        spans.append((len(out), len(raw)))
        out += raw
    out += FILE_END
    return bytes(out), spans


def encode_partition(chunk: Chunk, articles: Iterable[Article]) -> tuple[bytes, list[Span]]:
    """The partition file for `articles`, in ingest order, and where each one's record lies."""
    return _with_records({"kind": _KIND, "format": FORMAT, "day": chunk.day.isoformat(),
                          "chunk": chunk.number}, (article.to_dict() for article in articles))


def encode_chunk(chunk: Chunk, articles: list[Article]) -> tuple[bytes, bytes, Spans]:
    """A chunk's partition and headlines files, and where each article's records lie in
    them (for its sidecar): the three files a batch writes together."""
    data, records = encode_partition(chunk, articles)
    heads, head_records = encode_headlines(articles, len(data))
    return data, heads, Spans.of(records, head_records)


def decode_record(path: Path, raw: bytes) -> Article:
    """One article's record, as a span of its partition file holds it."""
    try:
        return Article.from_dict(orjson.loads(raw))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise StoreError(f"partition file {path} is corrupt (bad article: {error!r})") from None


def encode_headlines(articles: Iterable[Article], partition_size: int
                     ) -> tuple[bytes, list[Span]]:
    """The headlines file: the chunk's articles without bodies, and the size of the
    partition file they were taken from, so a stale one is noticed (like the sidecar);
    with where each headline's record lies."""
    return _with_records({"kind": _HEADS_KIND, "partition_size": partition_size},
                         (article.headline().to_dict() for article in articles))


def decode_headline(path: Path, raw: bytes, day: dt.date) -> Headline:
    """One headline's record, as a span of its headlines file holds it."""
    try:
        return Headline.from_dict(orjson.loads(raw), day)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise StoreError(f"headlines file {path} is corrupt ({error})") from None


def decode_headlines(path: Path, raw: bytes) -> tuple[int, list[Headline]]:
    """(partition size, headlines) of a headlines file; StoreError when it is damaged."""
    with collector_paused():
        try:
            data = orjson.loads(raw)
            if not isinstance(data, dict) or data.get("kind") != _HEADS_KIND:
                raise ValueError("not a headlines file")
            records = data["articles"]
            day = dt.date.fromisoformat(records[0]["date"]) if records else None
            return int(data["partition_size"]), [Headline.from_dict(r, day) for r in records]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise StoreError(f"headlines file {path} is corrupt ({error})") from None


def decode_partition(path: Path, raw: bytes) -> list[Article]:
    """The articles of a partition file; StoreError naming the file when it is damaged.

    The collector is paused: a day's parse makes and drops a few thousand acyclic
    containers, and unpaused about one parse in 65 paid for a full collection (6 ms
    measured, most of `by_date`'s p99)."""
    with collector_paused():
        return _decode(path, raw)


def _decode(path: Path, raw: bytes) -> list[Article]:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise StoreError(f"partition file {path} is corrupt ({error})") from None
    if not isinstance(data, dict) or data.get("kind") != _KIND:
        raise StoreFormatError(f"{path} is not a newsbot partition file")
    version = data.get("format")
    if not isinstance(version, int) or version > FORMAT:
        raise StoreFormatError(
            f"partition file {path} has format {version}; this newsbot reads format {FORMAT}"
        )
    try:
        return [Article.from_dict(record) for record in data["articles"]]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StoreError(f"partition file {path} is corrupt (bad article: {error!r})") from None
