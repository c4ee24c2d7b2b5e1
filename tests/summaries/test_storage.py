"""Crash-safe files: atomic replacement, batches with a journal, the TinyDB storage."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from summaries.errors import StoreError
from summaries.storage import (
    AtomicJSONStorage,
    Batch,
    is_temp_name,
    remove_temp_files,
    replay_journal,
    temp_path,
    write_atomic,
)


def test_write_atomic_replaces_the_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_a_batch_lands_whole_and_drops_its_journal(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"a0")
    batch = Batch(tmp_path)
    batch.write(tmp_path / "a", b"a1")
    batch.write(tmp_path / "b", b"b1")
    assert (tmp_path / "a").read_bytes() == b"a0" and not (tmp_path / "b").exists()
    batch.commit()
    assert (tmp_path / "a").read_bytes() == b"a1" and (tmp_path / "b").read_bytes() == b"b1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_an_abandoned_batch_changes_nothing(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    batch.write(tmp_path / "a", b"a1")
    batch.abandon()
    assert list(tmp_path.iterdir()) == []


def test_replaying_a_journal_finishes_the_batch_and_can_repeat(tmp_path: Path) -> None:
    # The state a writer killed between its journal and its renames leaves behind.
    (tmp_path / "a").write_bytes(b"a0")
    staged_a, staged_b = temp_path(tmp_path / "a"), temp_path(tmp_path / "b")
    staged_a.write_bytes(b"a1")
    staged_b.write_bytes(b"b1")
    renames = [[staged_a.name, "a"], [staged_b.name, "b"]]
    journal = orjson.dumps({"kind": "newsbot-journal", "renames": renames})
    (tmp_path / "journal.json").write_bytes(journal)
    staged_a.replace(tmp_path / "a")  # one rename had happened before the kill

    assert replay_journal(tmp_path)
    assert (tmp_path / "a").read_bytes() == b"a1" and (tmp_path / "b").read_bytes() == b"b1"
    assert not (tmp_path / "journal.json").exists()
    assert not replay_journal(tmp_path)


def test_an_unreadable_journal_is_reported(tmp_path: Path) -> None:
    (tmp_path / "journal.json").write_bytes(b"{not json")
    with pytest.raises(StoreError, match="journal file .* is unreadable"):
        replay_journal(tmp_path)


def test_stray_temp_files_are_removed(tmp_path: Path) -> None:
    stray = temp_path(tmp_path / "x.json")
    stray.write_bytes(b"half")
    (tmp_path / "keep.json").write_bytes(b"{}")
    assert is_temp_name(stray.name) and not is_temp_name("keep.json")
    assert remove_temp_files(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["keep.json"]


def test_the_tinydb_storage_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "chats.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    assert db.all() == []  # a missing file reads as empty
    db.insert({"chat": 1})
    db.insert({"chat": 2})
    db.close()
    assert TinyDB(path, storage=AtomicJSONStorage).all() == [{"chat": 1}, {"chat": 2}]
    path.write_bytes(b"")
    assert AtomicJSONStorage(path).read() is None


def test_the_tinydb_storage_reports_damage_and_read_only_writes(tmp_path: Path) -> None:
    path = tmp_path / "chats.json"
    path.write_bytes(b'{"_default": {"1": ')
    with pytest.raises(StoreError, match=f"table file {path} is corrupt"):
        AtomicJSONStorage(path).read()
    with pytest.raises(StoreError, match="read-only"):
        AtomicJSONStorage(path, writable=False).write({})
