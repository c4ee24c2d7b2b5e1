"""An LRU of things parsed from files, each entry valid only while its file is unchanged.

Readers share the data folder with a writer in another process, so a cached value is
checked against the file's inode, size and mtime on each use. A file's mtime ticks
coarsely (a few milliseconds on Linux), so a file changed twice within one tick could
keep its stamp: values read from a file modified very recently are not cached unless
this process is the only writer (the same "racy" rule git uses for its index).
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V")

_RACY_NS = 50_000_000  # comfortably longer than one tick of the kernel's coarse clock


@dataclass(frozen=True, slots=True)
class Stamp:
    """What changes when a file or folder is replaced or modified."""

    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Stamp | None:
        """The stamp of `path`, or None when it does not exist."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(info.st_ino, info.st_size, info.st_mtime_ns)


class StatCache(Generic[V]):
    """Least recently used values keyed by path, bounded by a total weight (e.g. bytes)."""

    def __init__(self, max_weight: int, *, sole_writer: bool) -> None:
        self._max_weight = max_weight
        self._sole_writer = sole_writer
        self._entries: OrderedDict[Path, tuple[Stamp, V, int]] = OrderedDict()
        self._weight = 0

    def get(self, path: Path, stamp: Stamp) -> V | None:
        """The cached value if it was read from the file as it is now."""
        entry = self._entries.get(path)
        if entry is None:
            return None
        if entry[0] != stamp:
            self.discard(path)
            return None
        self._entries.move_to_end(path)
        return entry[1]

    def peek(self, path: Path) -> V | None:
        """The value cached for `path` whatever its file is now, without refreshing it."""
        entry = self._entries.get(path)
        return None if entry is None else entry[1]

    def put(self, path: Path, stamp: Stamp, value: V, weight: int) -> None:
        """Remember `value` as read from the file with `stamp`, evicting the oldest."""
        self.discard(path)
        if not self._sole_writer and time.time_ns() - stamp.mtime_ns < _RACY_NS:
            return
        if weight > self._max_weight:
            return
        self._entries[path] = (stamp, value, weight)
        self._weight += weight
        while self._weight > self._max_weight:
            _, (_, _, old_weight) = self._entries.popitem(last=False)
            self._weight -= old_weight

    def discard(self, path: Path) -> None:
        """Forget `path`, e.g. after this process replaced the file."""
        entry = self._entries.pop(path, None)
        if entry is not None:
            self._weight -= entry[2]

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()
        self._weight = 0
