"""Day partitions of the archive: file names, the JSON partition file and its index sidecar.

    articles/2026/2026-02-25.json     chunk 0 of a day: up to CHUNK_ARTICLES articles
    articles/2026/2026-02-25.1.json   chunk 1, started when chunk 0 is full
    articles/2026/2026-02-25.idx      sidecar of chunk 0: its ids, a Bloom filter of
                                      its words and where each article's records lie
    articles/2026/2026-02-25.heads    chunk 0's articles without their bodies

Chunks keep the cost of adding to a huge day bounded: a batch rewrites only the day's
last chunk. The sidecar lets the store deduplicate against a whole day, skip chunks in
a search without parsing article texts, and read one article, or one page of a day's
list, without the rest of the day (a day's partition takes 2-3 ms to parse at 137
articles, its headlines 1 ms; one record, 0.05 ms).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import orjson

from summaries.article import Article, Headline, article_date_from_id
from summaries.bloom import BloomFilter, words
from summaries.errors import InputError, StoreError, StoreFormatError
from summaries.gcpause import collector_paused

FORMAT = 1
CHUNK_ARTICLES = 1_000
_KIND = "newsbot-articles"
_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d*))?\.json")
_ID_LENGTH = len("YYYYMMDD-0123456789")
# magic, sidecar version, id count, Bloom word count, Bloom byte length, partition size
_HEADER = struct.Struct("<4sHxxIIIQ")
_SPAN = struct.Struct("<II")  # where an article's record starts in the partition, its length
HEADER_SIZE = _HEADER.size
_MAGIC = b"NBIX"
_HEADS_KIND = "newsbot-headlines"
# 2: story roots are in the filter too (see story_token); 3: after the filter, where each
# article's record lies in the partition, then in the headlines file
_SIDECAR_VERSION = 3
Span = tuple[int, int]


class Spans:
    """Where a chunk's records lie, in its partition file and in its headlines file: kept
    packed as the sidecar stores them (a sidecar of every day stays cached)."""

    __slots__ = ("count", "packed")

    def __init__(self, count: int, packed: bytes) -> None:
        if len(packed) != 2 * _SPAN.size * count:
            raise ValueError("wrong length")
        self.count, self.packed = count, packed

    @classmethod
    def of(cls, records: list[Span], heads: list[Span]) -> Spans:
        if len(records) != len(heads):
            raise ValueError("a record and a headline for every article")
        return cls(len(records), b"".join(_SPAN.pack(*span) for span in [*records, *heads]))

    def record(self, n: int) -> Span:
        """Where article `n`'s record lies in the partition file."""
        at, length = _SPAN.unpack_from(self.packed, n * _SPAN.size)
        return at, length

    def head(self, n: int) -> Span:
        """Where headline `n`'s record lies in the headlines file."""
        at, length = _SPAN.unpack_from(self.packed, (self.count + n) * _SPAN.size)
        return at, length

    @property
    def heads_size(self) -> int:
        """The size of the headlines file these spans were taken from."""
        if not self.count:
            return 0
        at, length = self.head(self.count - 1)
        return at + length + len(_CLOSE)


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


_CLOSE = b"]}"


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
    out += _CLOSE
    return bytes(out), spans


def encode_partition(chunk: Chunk, articles: Iterable[Article]) -> tuple[bytes, list[Span]]:
    """The partition file for `articles`, in ingest order, and where each one's record lies."""
    return _with_records({"kind": _KIND, "format": FORMAT, "day": chunk.day.isoformat(),
                          "chunk": chunk.number}, (article.to_dict() for article in articles))


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


def story_token(root: str) -> str:
    """The filter entry of an article linked to story `root`: no word can look like it."""
    return f"\x00story {root}"


def article_words(article: Article) -> set[str]:
    """The distinct words a search can find the article by, and its story link.

    With the link in the filter, finding a story's other articles opens only the days'
    chunks that may hold one, instead of every chunk of the story's week.
    """
    found = set(words(article.title)) | set(words(article.text))
    if article.story:
        found.add(story_token(article.story))
    return found


@dataclass(slots=True)
class ChunkIndex:
    """A chunk's ids in ingest order and a Bloom filter of its words."""

    ids: list[str]
    bloom: BloomFilter
    partition_size: int  # the partition file it describes, to notice a mismatch
    spans: Spans | None = None  # where each id's records lie; None before version 3
    version: int = _SIDECAR_VERSION  # an older sidecar lacks story links: rebuilt on read
    id_set: set[str] = field(init=False, repr=False)
    _positions: dict[str, int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.id_set = set(self.ids)

    def span(self, article_id: str) -> Span | None:
        """Where the article's record lies in the partition, if the sidecar knows."""
        if self.spans is None or article_id not in self.id_set:
            return None
        if self._positions is None:
            self._positions = {found: n for n, found in enumerate(self.ids)}
        return self.spans.record(self._positions[article_id])

    @classmethod
    def build(
        cls, articles: list[Article], partition_size: int, spans: Spans | None = None,
        *, headroom: float = 1.25
    ) -> ChunkIndex:
        """Index a chunk from its articles, with room for `headroom` times their words.

        Most days arrive whole in one batch, so a little room keeps filters (the bulk of
        a search's reading, and of its cache) small; a day that keeps growing is
        re-indexed with more room (`extended`).
        """
        vocabulary: set[str] = set()
        for article in articles:
            vocabulary |= article_words(article)
        bloom = BloomFilter(int(headroom * len(vocabulary)))
        bloom.add(vocabulary)
        return cls([a.id for a in articles], bloom, partition_size, spans)

    def extended(self, old: list[Article], new: list[Article], partition_size: int,
                 spans: Spans) -> ChunkIndex:
        """The index after appending `new` to the chunk whose articles were `old`.

        The filter takes new words while it has room; when full it is rebuilt from all
        the chunk's articles with half as much room again, so sizes grow geometrically
        and the cost per article stays flat.
        """
        bloom = BloomFilter.from_bytes(self.bloom.to_bytes(), self.bloom.count)
        vocabulary: set[str] = set()
        for article in new:
            vocabulary |= article_words(article)
        bloom.add(vocabulary)
        if bloom.count > bloom.capacity:
            return ChunkIndex.build(old + new, partition_size, spans, headroom=1.5)
        return ChunkIndex(self.ids + [a.id for a in new], bloom, partition_size, spans)

    def to_bytes(self) -> bytes:
        """The sidecar file."""
        bloom = self.bloom.to_bytes()
        header = _HEADER.pack(
            _MAGIC, _SIDECAR_VERSION, len(self.ids), self.bloom.count, len(bloom),
            self.partition_size,
        )
        if self.spans is None or self.spans.count != len(self.ids):
            raise ValueError("an index is written with the spans of every article")
        return header + "".join(self.ids).encode("ascii") + bloom + self.spans.packed

    @staticmethod
    def header(data: bytes) -> tuple[int, int] | None:
        """(article count, partition size) from a sidecar's first bytes; None if damaged."""
        try:
            magic, version, n_ids, _, _, size = _HEADER.unpack_from(data)
        except struct.error:
            return None
        ok = magic == _MAGIC and version <= _SIDECAR_VERSION
        return (int(n_ids), int(size)) if ok else None

    @classmethod
    def from_bytes(cls, path: Path, data: bytes) -> ChunkIndex:
        """Read a sidecar; StoreError naming the file when it is damaged."""
        try:
            magic, version, n_ids, count, n_bloom, size = _HEADER.unpack_from(data)
            if magic != _MAGIC:
                raise StoreFormatError(f"{path} is not a newsbot index file")
            if version > _SIDECAR_VERSION:
                raise StoreFormatError(f"index file {path} was written by a newer newsbot")
            start = _HEADER.size
            end = start + n_ids * _ID_LENGTH
            bloom_end = end + n_bloom
            span_bytes = 2 * _SPAN.size * n_ids if version >= 3 else 0
            if len(data) != bloom_end + span_bytes:
                raise ValueError("wrong length")
            text = data[start:end].decode("ascii")
            spans = Spans(n_ids, data[bloom_end:]) if span_bytes else None
        except (struct.error, ValueError) as error:
            raise StoreError(f"index file {path} is corrupt ({error})") from None
        ids = [text[i : i + _ID_LENGTH] for i in range(0, len(text), _ID_LENGTH)]
        bloom = BloomFilter.from_bytes(data[end:bloom_end], count)
        return cls(ids, bloom, size, spans, version)

    def links_story(self, root: str) -> bool:
        """Whether the chunk may hold an article linked to story `root` (not the root)."""
        return self.bloom.might_contain(story_token(root))
