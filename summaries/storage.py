"""Crash-safe files: one atomic write, a batch of writes that lands whole, a TinyDB storage.

A file is never rewritten in place: new bytes go to a temp file in the same folder, are
flushed and fsynced, then `os.replace`d over the target and the folder is fsynced. A
process killed at any instant leaves the old file or the new one, never a mix (TinyDB's
own JSONStorage rewrites in place and can leave a mixed or unreadable file).

A batch that touches several files (`Batch`) first stages every new file under a temp
name, then records the planned renames in a journal file (itself written atomically):
the journal's appearance is the commit point. Renames follow, then the journal goes.
`replay_journal` finishes a batch that a killed writer left committed but unapplied.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from summaries.errors import StoreError

JOURNAL_NAME = "journal.json"
_JOURNAL_KIND = "newsbot-journal"
_TEMP_SUFFIX = ".tmp"


def temp_path(target: Path) -> Path:
    """A fresh hidden temp name next to `target`, so `os.replace` stays on one filesystem."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    """Whether `name` is one of our temp files (left behind only by a killed writer)."""
    return name.startswith(".") and name.endswith(_TEMP_SUFFIX)


def fsync_dir(folder: Path) -> None:
    """Make renames and new entries in `folder` durable; a file's fsync does not do that."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` so that a crash leaves either the old or the new file."""
    temp = temp_path(target)
    try:
        _write_synced(temp, data)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def remove_temp_files(folder: Path) -> int:
    """Delete temp files a killed writer left in `folder`; only call while holding the lock."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0
    for entry in entries:
        if is_temp_name(entry.name) and entry.is_file(follow_symlinks=False):
            os.unlink(entry.path)
            removed += 1
    return removed


class Batch:
    """Several file replacements under one data folder that land all together or not at all."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._renames: list[tuple[Path, Path]] = []

    def write(self, target: Path, data: bytes) -> None:
        """Stage `data` for `target`; nothing visible changes until `commit`."""
        temp = temp_path(target)
        try:
            _write_synced(temp, data)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self._renames.append((temp, target))

    def commit(self) -> None:
        """Write the journal (the commit point), apply the renames, then drop the journal."""
        if not self._renames:
            return
        replay_journal(self._root)  # an earlier commit that failed half-way goes first
        for folder in {temp.parent for temp, _ in self._renames}:
            fsync_dir(folder)  # staged files must outlive a crash once the journal names them
        journal = {
            "kind": _JOURNAL_KIND,
            "renames": [
                [str(temp.relative_to(self._root)), str(target.relative_to(self._root))]
                for temp, target in self._renames
            ],
        }
        write_atomic(self._root / JOURNAL_NAME, orjson.dumps(journal))
        # Committed: from here on the staged files belong to the journal, and a failure
        # below leaves them for `replay_journal` instead of `abandon`.
        renames, self._renames = self._renames, []
        _apply(self._root, renames)

    def abandon(self) -> None:
        """Delete what was staged and not committed; a no-op after `commit`."""
        for temp, _ in self._renames:
            temp.unlink(missing_ok=True)
        self._renames = []


def _apply(root: Path, renames: list[tuple[Path, Path]]) -> None:
    # A temp file that is gone was renamed before a crash: replaying skips it, so a
    # replay can itself be interrupted and replayed again.
    for temp, target in renames:
        try:
            os.replace(temp, target)
        except FileNotFoundError:
            if not target.exists():
                raise StoreError(
                    f"journal {root / JOURNAL_NAME} names {temp.name}, which is missing"
                ) from None
    for folder in {target.parent for _, target in renames}:
        fsync_dir(folder)
    (root / JOURNAL_NAME).unlink()
    fsync_dir(root)


def replay_journal(root: Path) -> bool:
    """Finish the batch a killed writer committed; True when there was one to finish."""
    path = root / JOURNAL_NAME
    raw = read_bytes(path)
    if raw is None:
        return False
    try:
        journal = orjson.loads(raw)
        if journal.get("kind") != _JOURNAL_KIND:
            raise ValueError("not a newsbot journal")
        renames = [(root / temp, root / target) for temp, target in journal["renames"]]
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as error:
        raise StoreError(f"journal file {path} is unreadable ({error})") from None
    base = root.resolve()
    for temp, target in renames:
        inside = base in temp.resolve().parents and base in target.resolve().parents
        if not inside or not is_temp_name(temp.name):
            raise StoreError(f"journal file {path} names files that are not its own")
    _apply(root, renames)
    return True


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces its file atomically on every write (see module doc).

    TinyDB re-reads the whole file for each query and rewrites it for each write, so
    keep these files small: settings, subscriptions, ledgers — not the article archive.
    """

    def __init__(self, path: str | os.PathLike[str], *, writable: bool = True) -> None:
        super().__init__()
        self._path = Path(path)
        self._writable = writable
        # The writer is the only process that changes the file (the store's lock), so it
        # can keep what it last read or wrote instead of parsing the file on every query
        # (TinyDB reads the whole file per query: a chat's settings would cost a parse
        # of every chat's settings). Readers always read the file.
        self._cache: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The whole database, or None for a missing or empty file (TinyDB starts afresh)."""
        if self._cache is not None:
            return self._cache
        raw = read_bytes(self._path)
        if not raw:
            return None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise StoreError(f"table file {self._path} is corrupt ({error})") from None
        if not isinstance(data, dict):
            raise StoreError(f"table file {self._path} is not a TinyDB table file")
        if self._writable:
            self._cache = data
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the file with `data`; refused when the store was opened read-only."""
        if not self._writable:
            raise StoreError(f"table file {self._path} was opened read-only")
        try:
            write_atomic(self._path, orjson.dumps(data))
        except BaseException:
            self._cache = None  # TinyDB changed `data` in place: the file is the truth
            raise
        self._cache = data
