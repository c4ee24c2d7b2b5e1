"""Words of an article, and a Bloom filter of them so a search skips partitions cheaply.

A word is a run of `\\w` characters of the casefolded text, so "Baku's" holds the words
"baku" and "s", and "STRASSE" matches a query for "Straße". The filter answers "maybe"
or "certainly not"; the store confirms every "maybe" against the text itself.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection

import numpy

_WORD = re.compile(r"\w+")

# 10 bits and 7 probes per word give about 0.8% false positives: a rare word opens
# about 6 needless partitions out of 730.
BITS_PER_WORD = 10
PROBES = 7
MIN_CAPACITY = 256


def words(text: str) -> list[str]:
    """The words of `text` in order, casefolded; the one tokenizer of indexing and queries."""
    return _WORD.findall(text.casefold())


def word_pattern(word: str) -> re.Pattern[str]:
    """A pattern that finds `word` in casefolded text only as a whole word."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


_GOLDEN = 0x9E3779B97F4A7C15  # Fibonacci hashing: spreads a 32-bit hash into a step
_MASK64 = (1 << 64) - 1


def _hash(word: str) -> int:
    # CRC-32 is stable across processes (Python's hash() is salted per process) and ten
    # times cheaper than a cryptographic digest, which matters at ~130 new words per
    # article. Two words with one CRC share all probes: one chance in four billion.
    return zlib.crc32(word.encode("utf-8"))


def _probes(word: str, bits: int) -> list[int]:
    # Double hashing (Kirsch & Mitzenmacher): probe i is first + i * step.
    first = _hash(word)
    step = ((first * _GOLDEN) & _MASK64) >> 32 | 1
    return [(first + i * step) % bits for i in range(PROBES)]


class BloomFilter:
    """A fixed-size set of words that may answer "present" wrongly, never "absent" wrongly."""

    __slots__ = ("bits", "count", "_array")

    def __init__(self, capacity: int, *, count: int = 0, array: bytearray | None = None) -> None:
        size = max(capacity, MIN_CAPACITY) * BITS_PER_WORD
        self.bits = (size + 63) // 64 * 64 if array is None else len(array) * 8
        self._array = bytearray(self.bits // 8) if array is None else array
        self.count = count  # distinct words added, to know when the filter is full

    @property
    def capacity(self) -> int:
        """How many distinct words fit before false positives climb above the target."""
        return self.bits // BITS_PER_WORD

    def add(self, words: Collection[str]) -> None:
        """Add words; `count` grows only for a word that set a new bit (a new word).

        Vectorized with numpy: a Python loop over seven probes per word cost more than
        everything else an ingest does.
        """
        if not words:
            return
        hashes = map(zlib.crc32, map(str.encode, words))  # _hash, without a frame per word
        first = numpy.fromiter(hashes, dtype=numpy.uint64, count=len(words))
        step = ((first * numpy.uint64(_GOLDEN)) >> numpy.uint64(32)) | numpy.uint64(1)
        probe = numpy.arange(PROBES, dtype=numpy.uint64)
        positions = (first[:, None] + probe[None, :] * step[:, None]) % numpy.uint64(self.bits)
        packed = numpy.frombuffer(self._array, dtype=numpy.uint8)
        flags = numpy.unpackbits(packed, bitorder="little")
        self.count += int((~flags[positions].astype(bool).all(axis=1)).sum())
        flags[positions.ravel()] = 1
        self._array = bytearray(numpy.packbits(flags, bitorder="little").tobytes())

    def might_contain(self, word: str) -> bool:
        """False when `word` was certainly never added."""
        array = self._array
        return all(array[p >> 3] & (1 << (p & 7)) for p in _probes(word, self.bits))

    def to_bytes(self) -> bytes:
        """The bit array, for the sidecar file."""
        return bytes(self._array)

    @classmethod
    def from_bytes(cls, data: bytes, count: int) -> BloomFilter:
        """Rebuild a filter written by `to_bytes`."""
        return cls(0, count=count, array=bytearray(data))
