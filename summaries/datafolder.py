"""A data folder's files as the store sees them: its format, its layout, cached reads.

    DATA/format.json                 {"kind": "newsbot-store", "format": 1}
    DATA/.lock                       the writer's flock and pid (lock.py)
    DATA/journal.json                only while a batch is being applied (storage.py)
    DATA/articles/YYYY/DAY[.N].json  day partitions, chunked (partition.py)
    DATA/articles/YYYY/DAY[.N].idx   their sidecars: ids and a Bloom filter of words
    DATA/articles/YYYY/DAY[.N].heads their articles without bodies, for day lists
    DATA/tables/NAME.json            small TinyDB tables (chats, subscriptions, ...)
    DATA/seen/NNNNNNNN.bin           keys (URL, GUID, text hash) -> article id (seen.py)
    DATA/stories/YYYY-MM-DD.sig      MinHash signatures of a day's articles (stories.py)

Every read goes through a cache checked against the file's stamp, so a reader in one
process sees what a writer in another has renamed into place, without re-parsing files
that did not change.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import orjson

from summaries.article import Article, Headline
from summaries.errors import StoreError, StoreFormatError
from summaries.filecache import Stamp, StatCache
from summaries.lock import LOCK_NAME
from summaries.partition import (
    FILE_END,
    FORMAT,
    Chunk,
    decode_headline,
    decode_headlines,
    decode_partition,
    decode_record,
    scan_year,
)
from summaries.sidecar import HEADER_SIZE, ChunkIndex, Span, Spans
from summaries.storage import (
    fsync_dir,
    is_temp_name,
    read_bytes,
    remove_temp_files,
    replay_journal,
    write_atomic,
)

FORMAT_FILE = "format.json"
_KIND = "newsbot-store"
# Parsed partitions take about twice their file size in memory; 16 MB of files holds
# about three weeks at 137 articles a day. Two years of sidecars (~20 MB measured on a
# 100,000-article archive) fit in their 32 MB, so a search does not re-read them.
PARTITION_CACHE_BYTES = 16 << 20
INDEX_CACHE_BYTES = 32 << 20

V = TypeVar("V")


@dataclass(slots=True)
class Partition:
    """A parsed chunk: its articles in ingest order, and by id."""

    articles: list[Article]
    by_id: dict[str, Article] = field(init=False)
    index: ChunkIndex | None = None  # built from the articles when the sidecar is off

    def __post_init__(self) -> None:
        self.by_id = {article.id: article for article in self.articles}


class DataFolder:
    """Cached, stamp-checked reads of partitions, sidecars and folder listings."""

    def __init__(self, root: Path, *, sole_writer: bool) -> None:
        self.root = root
        self.articles = root / "articles"
        self._partitions: StatCache[Partition] = StatCache(
            PARTITION_CACHE_BYTES, sole_writer=sole_writer
        )
        self._indexes: StatCache[ChunkIndex] = StatCache(
            INDEX_CACHE_BYTES, sole_writer=sole_writer
        )
        self._headlines: StatCache[tuple[int, list[Headline]]] = StatCache(
            PARTITION_CACHE_BYTES, sole_writer=sole_writer
        )
        self._headers: StatCache[tuple[int, int]] = StatCache(
            1 << 20, sole_writer=sole_writer
        )
        self._years: StatCache[list[int]] = StatCache(1, sole_writer=sole_writer)
        self._year_days: StatCache[dict[dt.date, list[int]]] = StatCache(
            1 << 16, sole_writer=sole_writer
        )

    @staticmethod
    def check(root: Path, *, create: bool) -> None:
        """Raise unless `root` is a store this version reads (or, with `create`, may become one)."""
        if (root / FORMAT_FILE).exists():
            _check_format(root)
        elif not _is_blank(root):
            raise StoreFormatError(f"{root} is not a newsbot data folder (no {FORMAT_FILE})")
        elif not create:
            raise StoreError(f"there is no newsbot data folder at {root}")

    def prepare(self) -> None:
        """Under the writer lock: create the layout, finish a crashed batch, drop stray temps."""
        format_path = self.root / FORMAT_FILE
        if not format_path.exists():
            write_atomic(format_path, orjson.dumps({"kind": _KIND, "format": FORMAT}))
        if not self.articles.is_dir():
            self.articles.mkdir()
            fsync_dir(self.root)
        replay_journal(self.root)
        for folder in [self.root, self.root / "tables", self.root / "seen", self.articles,
                       *self.articles.iterdir()]:
            if folder.is_dir():
                remove_temp_files(folder)

    def size_bytes(self) -> int:
        """Bytes the folder's files take (their sizes, summed)."""
        total = 0
        for folder, _, files in os.walk(self.root):
            for name in files:
                try:
                    total += os.stat(os.path.join(folder, name)).st_size
                except FileNotFoundError:
                    pass  # a temp file renamed away while we walked
        return total

    def clear(self) -> None:
        """Drop every cache."""
        for cache in (self._partitions, self._indexes, self._headlines, self._headers,
                      self._years, self._year_days):
            cache.clear()

    # --- listings -----------------------------------------------------------------------

    def chunks_of(self, day: dt.date) -> list[int]:
        """The chunk numbers a day has, ascending (empty when it has no articles).

        Chunks are numbered without gaps (a chunk starts only when the one before is
        full), so probing names is cheaper than listing a year's folder.
        """
        numbers: list[int] = []
        while Chunk(day, len(numbers)).path(self.articles).exists():
            numbers.append(len(numbers))
        return numbers

    def all_days(self) -> list[tuple[dt.date, list[int]]]:
        """Every day with articles, oldest first, with its chunk numbers."""
        return [
            item for year in self._year_numbers() for item in sorted(self._days_of_year(year).items())
        ]

    def chunks_newest_first(self) -> Iterator[Chunk]:
        """Every chunk, newest day and last chunk first."""
        for day, numbers in reversed(self.all_days()):
            for number in reversed(numbers):
                yield Chunk(day, number)

    def warm_indexes(self) -> int:
        """Read sidecars into their cache, newest day first, while they fit; returns how
        many. Every lookup by id or page starts at a sidecar, and a story at eight."""
        loaded = room = 0
        for chunk in self.chunks_newest_first():
            sidecar = chunk.sidecar(self.articles)
            stamp = Stamp.of(sidecar)
            room += stamp.size if stamp is not None else 0
            if room > INDEX_CACHE_BYTES * 3 // 4:
                break  # the rest would push out what was just read
            try:  # the sidecar only: a stale one is not worth parsing a day for here
                self._sidecar(chunk)
            except StoreError:
                continue  # damaged: the lookup that needs this day reports it
            loaded += 1
        return loaded

    def make_year_dir(self, year: int) -> None:
        """Create a year folder durably before files are staged in it."""
        folder = self.articles / f"{year:04d}"
        if not folder.is_dir():
            folder.mkdir(parents=True)
            fsync_dir(self.articles)

    def _year_numbers(self) -> list[int]:
        stamp = Stamp.of(self.articles)
        if stamp is None:
            return []
        years = self._years.get(self.articles, stamp)
        if years is None:
            years = sorted(
                int(entry.name) for entry in os.scandir(self.articles)
                if entry.name.isdigit() and len(entry.name) == 4 and entry.is_dir()
            )
            self._years.put(self.articles, stamp, years, 1)
        return years

    def _days_of_year(self, year: int) -> dict[dt.date, list[int]]:
        folder = self.articles / f"{year:04d}"
        stamp = Stamp.of(folder)
        if stamp is None:
            return {}
        days = self._year_days.get(folder, stamp)
        if days is None:
            days = scan_year(folder)
            self._year_days.put(folder, stamp, days, 1)
        return days

    # --- files --------------------------------------------------------------------------

    def partition(self, chunk: Chunk) -> Partition:
        """The chunk's articles (empty when the file does not exist)."""
        path = chunk.path(self.articles)
        found = _load(path, self._partitions, lambda raw: Partition(decode_partition(path, raw)))
        return Partition([]) if found is None else found

    def article(self, chunk: Chunk, index: ChunkIndex, article_id: str) -> Article | None:
        """One article of the chunk (whose `index` the caller has read): from the parsed
        partition when cached, else only its record, where the sidecar says it lies; the
        whole partition when that fails."""
        if article_id not in index.id_set:
            return None
        path = chunk.path(self.articles)
        span = index.span(article_id)
        if span is not None and self._partitions.peek(path) is None:
            found = _read_span(path, span, index.partition_size)
            if found is not None and found.id == article_id:
                return found
        return self.partition(chunk).by_id.get(article_id)

    def headlines(self, chunk: Chunk) -> list[Headline]:
        """The chunk's articles without bodies: from its headlines file when that matches
        the partition, else from the partition itself (an older store, a racing reader)."""
        path = chunk.headlines(self.articles)
        found = _load(path, self._headlines, lambda raw: decode_headlines(path, raw))
        partition_stamp = Stamp.of(chunk.path(self.articles))
        if found is not None and partition_stamp is not None and found[0] == partition_stamp.size:
            return found[1]
        return [article.headline() for article in self.partition(chunk).articles]

    def headlines_range(self, chunk: Chunk, index: ChunkIndex, start: int,
                        stop: int) -> list[Headline]:
        """Headlines `start` to `stop` of the chunk (whose `index` the caller has read):
        from the cache when parsed, else only their records, where the sidecar says they
        lie; the whole file when that fails."""
        path = chunk.headlines(self.articles)
        stop = min(stop, len(index.ids))
        if index.spans is not None and start < stop and self._headlines.peek(path) is None:
            found = _read_headlines(path, index.spans, start, stop, chunk.day)
            if found is not None and [h.id for h in found] == index.ids[start:stop]:
                return found
        return self.headlines(chunk)[start:stop]

    def index(self, chunk: Chunk) -> ChunkIndex:
        """The chunk's ids and Bloom filter, from its sidecar when that matches the chunk."""
        index = self._sidecar(chunk)
        partition_stamp = Stamp.of(chunk.path(self.articles))
        partition_size = 0 if partition_stamp is None else partition_stamp.size
        if index is not None and index.partition_size == partition_size and index.version >= 2:
            return index
        # No sidecar, or one from another moment than the partition (a reader racing the
        # writer's renames, or a hand-edited file): index the partition itself.
        partition = self.partition(chunk)
        if partition.index is None:
            partition.index = ChunkIndex.build(partition.articles, partition_size)
        return partition.index

    def _sidecar(self, chunk: Chunk) -> ChunkIndex | None:
        """The chunk's sidecar as read (cached), unchecked against its partition."""
        sidecar = chunk.sidecar(self.articles)
        return _load(sidecar, self._indexes, lambda raw: ChunkIndex.from_bytes(sidecar, raw))

    def article_count(self, chunk: Chunk) -> int:
        """How many articles a chunk holds, from the sidecar's header when it matches."""
        sidecar = chunk.sidecar(self.articles)
        header = _load(sidecar, self._headers, ChunkIndex.header, limit=HEADER_SIZE)
        partition_stamp = Stamp.of(chunk.path(self.articles))
        if header is not None and partition_stamp is not None:
            count, partition_size = header
            if partition_size == partition_stamp.size:
                return count
        return len(self.index(chunk).ids)

    def remember(self, chunk: Chunk, articles: list[Article], index: ChunkIndex) -> None:
        """Cache what this process just wrote, so the next batch need not re-parse it."""
        path, sidecar = chunk.path(self.articles), chunk.sidecar(self.articles)
        stamp, sidecar_stamp = Stamp.of(path), Stamp.of(sidecar)
        if stamp is not None:
            self._partitions.put(path, stamp, Partition(articles), stamp.size)
        if sidecar_stamp is not None:
            self._indexes.put(sidecar, sidecar_stamp, index, sidecar_stamp.size)
        self._year_days.discard(path.parent)
        self._years.discard(self.articles)


def _load(
    path: Path, cache: StatCache[V], parse: Callable[[bytes], V | None], *, limit: int = -1
) -> V | None:
    """A file (or its first `limit` bytes) parsed, from the cache when the file is
    unchanged; None when it is missing or `parse` returns None."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return None
    with handle:
        info = os.fstat(handle.fileno())  # the stamp of exactly the bytes we read
        stamp = Stamp(info.st_ino, info.st_size, info.st_mtime_ns)
        cached = cache.get(path, stamp)
        if cached is not None:
            return cached
        raw = handle.read(limit)
    value = parse(raw)
    if value is not None:
        cache.put(path, stamp, value, len(raw))
    return value


def _read_span(path: Path, span: Span, partition_size: int) -> Article | None:
    """The record at `span` of a partition file of `partition_size` bytes; None when the
    file is not that one any more (a writer replaced it) or the bytes do not parse."""
    at, length = span
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size != partition_size:
                return None
            raw = os.pread(handle.fileno(), length, at)
    except FileNotFoundError:
        return None
    try:
        return decode_record(path, raw)
    except StoreError:
        return None  # the caller parses the whole file, which names the damage


def _read_headlines(path: Path, spans: Spans, start: int, stop: int,
                    day: dt.date) -> list[Headline] | None:
    """Headline records `start` to `stop` (adjacent in the file: one read); None when the
    file is not the one the spans were taken from or a record does not parse."""
    first, last = spans.head(start), spans.head(stop - 1)
    length = last[0] + last[1] - first[0]
    if length <= 0:
        return None  # a damaged sidecar
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size != spans.heads_end + len(FILE_END):
                return None
            raw = os.pread(handle.fileno(), length, first[0])
    except FileNotFoundError:
        return None
    try:
        return [decode_headline(path, raw[at - first[0] : at - first[0] + length], day)
                for at, length in map(spans.head, range(start, stop))]
    except StoreError:
        return None  # the caller parses the whole file, which names the damage


def _is_blank(root: Path) -> bool:
    """Whether a folder holds nothing but our lock or temp files (safe to make a store in)."""
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return True
    return all(name == LOCK_NAME or is_temp_name(name) for name in names)


def _check_format(root: Path) -> None:
    path = root / FORMAT_FILE
    raw = read_bytes(path) or b""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or data.get("kind") != _KIND:
        raise StoreFormatError(f"{path} is not a newsbot format file")
    version = data.get("format")
    if not isinstance(version, int) or version < 1:
        raise StoreFormatError(f"{path} has no valid format number")
    if version > FORMAT:
        raise StoreFormatError(
            f"data folder {root} was written by a newer newsbot "
            f"(format {version}; this version reads format {FORMAT})"
        )
