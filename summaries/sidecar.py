"""A chunk's index sidecar: its ids, a Bloom filter of its words, where its records lie.

    articles/2026/2026-02-25.idx      the sidecar of chunk 0 (partition.py names the files)

Written in the same journaled batch as the chunk's partition and headlines files, and
checked against the partition's size when read, so a stale one is noticed. Version 3
adds the spans: where each article's record lies in the partition file and in the
headlines file, so one article, or one page of a day's list, is read without the rest
of the day.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from summaries.article import Article
from summaries.bloom import BloomFilter, words
from summaries.errors import StoreError, StoreFormatError

_ID_LENGTH = len("YYYYMMDD-0123456789")
# magic, sidecar version, id count, Bloom word count, Bloom byte length, partition size
_HEADER = struct.Struct("<4sHxxIIIQ")
HEADER_SIZE = _HEADER.size
_SPAN = struct.Struct("<II")  # where a record starts in its file, and its length
_MAGIC = b"NBIX"
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
    def heads_end(self) -> int:
        """Where the last headline's record ends in the headlines file."""
        if not self.count:
            return 0
        at, length = self.head(self.count - 1)
        return at + length


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
