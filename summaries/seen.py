"""What the archive already holds, by key: canonical URL, feed GUID, normalized text.

    DATA/seen/00000001.bin   one segment per batch: (8-byte key hash, article id) records

A poller asks "is this URL / GUID / text already stored?" for every entry of every
feed, every few minutes; the answer must not read the archive. Keys are hashed to 64
bits (a false "seen" at a million keys: about one chance in 10^7) and kept in memory as
a sorted numpy array, about 27 bytes a key. Segments are written in the same journaled
batch as the articles they describe, so a crash loses both or neither, and are never
rewritten, so a reader caches each by name. Past `MAX_SEGMENTS` the segments are merged
into one; a crash mid-merge leaves duplicates, which loading ignores.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy

from summaries.storage import Batch, fsync_dir, write_atomic

FOLDER = "seen"
MAX_SEGMENTS = 64
_RECORD = numpy.dtype([("key", "<u8"), ("id", "S19")])
_NAME = re.compile(r"(\d{8})\.bin")


def key_hash(key: str) -> int:
    """The 64-bit hash a key is stored under (stable across processes)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


class SeenIndex:
    """Key → article id for every key recorded with `Store.add(..., keys=...)`."""

    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER
        self._loaded: set[str] = set()
        self._keys = numpy.zeros(0, dtype="<u8")
        self._ids = numpy.zeros(0, dtype="S19")

    def lookup(self, keys: Iterable[str]) -> dict[str, str]:
        """The keys already recorded, each with the id of the article it belongs to."""
        self._refresh()
        wanted = list(dict.fromkeys(keys))
        if not wanted or not len(self._keys):
            return {}
        hashes = numpy.array([key_hash(key) for key in wanted], dtype="<u8")
        places = numpy.searchsorted(self._keys, hashes)
        places[places == len(self._keys)] = 0
        hits = self._keys[places] == hashes
        return {key: self._ids[place].decode("ascii")
                for key, place, hit in zip(wanted, places, hits) if hit}

    def stage(self, batch: Batch, pairs: Mapping[str, str]) -> None:
        """Stage a segment recording `pairs` (key → article id) into `batch`."""
        if not pairs:
            return
        records = numpy.array([(key_hash(key), article_id) for key, article_id in pairs.items()],
                              dtype=_RECORD)
        if not self.folder.is_dir():
            self.folder.mkdir()
            fsync_dir(self.folder.parent)
        names = self._segment_names()
        number = max((int(_NAME.fullmatch(n).group(1)) for n in names), default=0) + 1  # type: ignore[union-attr]
        batch.write(self.folder / f"{number:08d}.bin", records.tobytes())

    def compact(self) -> None:
        """Merge the segments into one when there are many (writer only, after a commit)."""
        names = self._segment_names()
        if len(names) <= MAX_SEGMENTS:
            return
        self._refresh()
        records = numpy.zeros(len(self._keys), dtype=_RECORD)
        records["key"], records["id"] = self._keys, self._ids
        number = int(_NAME.fullmatch(names[-1]).group(1)) + 1  # type: ignore[union-attr]
        write_atomic(self.folder / f"{number:08d}.bin", records.tobytes())
        for name in names:
            os.unlink(self.folder / name)
        fsync_dir(self.folder)

    def _segment_names(self) -> list[str]:
        try:
            return sorted(name for name in os.listdir(self.folder) if _NAME.fullmatch(name))
        except FileNotFoundError:
            return []

    def _refresh(self) -> None:
        names = set(self._segment_names())
        if not self._loaded <= names:  # merged by a writer: start again from the merge
            self._loaded = set()
            self._keys, self._ids = numpy.zeros(0, dtype="<u8"), numpy.zeros(0, dtype="S19")
        new = sorted(names - self._loaded)
        if not new:
            return
        parts = [self._keys]
        id_parts = [self._ids]
        for name in new:
            try:
                raw = (self.folder / name).read_bytes()
            except FileNotFoundError:
                continue  # merged away between listing and reading; the merge has it
            records = numpy.frombuffer(raw[: len(raw) // _RECORD.itemsize * _RECORD.itemsize],
                                       dtype=_RECORD)
            parts.append(records["key"])
            id_parts.append(records["id"])
            self._loaded.add(name)
        keys, ids = numpy.concatenate(parts), numpy.concatenate(id_parts)
        # The first record of a key wins: it is the article that was stored first.
        self._keys, first = numpy.unique(keys, return_index=True)
        self._ids = ids[first]
