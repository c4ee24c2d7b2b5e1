"""The delivery ledger: its file format, recovery after a kill, torn lines and pruning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summaries.errors import StoreFormatError, StoreLocked
from summaries.ledger import Ledger

UTC = dt.UTC
DAY = dt.date(2026, 3, 29)
SINCE = dt.datetime(2026, 3, 28, 6, 0, tzinfo=UTC)
UNTIL = dt.datetime(2026, 3, 29, 6, 0, 0, 123456, tzinfo=UTC)


def log_of(data: Path, day: dt.date = DAY) -> list[str]:
    return (data / "ledger" / f"{day.isoformat()}.log").read_text().splitlines()


def test_lines_are_compact_text_and_read_back(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, today=DAY) as ledger:
        ledger.begin(DAY, 42, 0, 2, SINCE, UNTIL)
        ledger.sent(DAY, 42, 0, 7001)
        ledger.begin(DAY, 42, 1, 2, SINCE, UNTIL)
        ledger.sent(DAY, 42, 1, 7002)
        ledger.begin(DAY, -100, 0, 1, SINCE, UNTIL)
        ledger.failed(DAY, -100, "Forbidden: bot was kicked\nfrom the group chat")
    assert log_of(tmp_path) == [
        "newsbot-ledger 1",
        "B 42 0 2 1774677600 1774764000.123456",
        "S 42 0 7001",
        "B 42 1",
        "S 42 1 7002",
        "B -100 0 1 1774677600 1774764000.123456",
        "F -100 Forbidden: bot was kicked from the group chat",
    ]
    with Ledger.open(tmp_path, today=DAY) as ledger:
        record = ledger.record(DAY, 42)
        assert record is not None
        assert (record.parts, record.since, record.until) == (2, SINCE, UNTIL)
        assert record.sent == {0, 1} and not record.uncertain and record.complete
        blocked = ledger.record(DAY, -100)
        assert blocked is not None and blocked.complete
        assert blocked.failed == "Forbidden: bot was kicked from the group chat"
        assert ledger.record(DAY, 5) is None
        assert ledger.record(DAY + dt.timedelta(1), 42) is None
        assert set(ledger.records(DAY)) == {42, -100}


def test_begun_parts_without_outcome_become_uncertain_on_reopen(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path, today=DAY)
    ledger.begin(DAY, 1, 0, 3, SINCE, UNTIL)
    ledger.sent(DAY, 1, 0, 10)
    ledger.begin(DAY, 1, 1, 3, SINCE, UNTIL)  # killed while this one was in flight
    ledger.begin(DAY, 2, 0, 1, SINCE, UNTIL)
    ledger.not_sent(DAY, 2, 0, "429 flood control")  # surely not sent: may go again
    pending = ledger.record(DAY, 1)
    assert pending is not None and pending.pending == {1} and not pending.uncertain
    ledger._lock.release()  # what the kernel does for a killed process

    with Ledger.open(tmp_path, today=DAY) as reopened:
        record = reopened.record(DAY, 1)
        assert record is not None
        assert (record.sent, record.uncertain, record.pending) == ({0}, {1}, frozenset())
        assert not record.complete  # part 2 is still to send
        retry = reopened.record(DAY, 2)
        assert retry is not None and not retry.sent and not retry.uncertain
    assert log_of(tmp_path)[-1] == "U 1 1"
    with Ledger.open(tmp_path, today=DAY) as again:  # recovery is written once
        again.records(DAY)
    assert log_of(tmp_path).count("U 1 1") == 1


def test_torn_last_line_is_cut_off(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, today=DAY) as ledger:
        ledger.begin(DAY, 1, 0, 1, SINCE, UNTIL)
        ledger.sent(DAY, 1, 0, 10)
    path = tmp_path / "ledger" / f"{DAY}.log"
    with path.open("ab") as handle:
        handle.write(b"B 2 0 1 17746")  # killed mid-write
    with Ledger.open(tmp_path, today=DAY) as ledger:
        assert set(ledger.records(DAY)) == {1}
        ledger.begin(DAY, 3, 0, 1, SINCE, UNTIL)
        ledger.sent(DAY, 3, 0, 11)
    assert log_of(tmp_path)[-2:] == ["B 3 0 1 1774677600 1774764000.123456", "S 3 0 11"]


def test_unreadable_lines_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / f"{DAY}.log").write_text(
        "newsbot-ledger 1\nB 1 0 1 100 200\n\x00\x00garbage\nS 9 0 1\nS 1 0 5\n")
    with Ledger.open(tmp_path, today=DAY) as ledger:
        record = ledger.record(DAY, 1)
        assert record is not None and record.sent == {0}
        assert record.since == dt.datetime(1970, 1, 1, 0, 1, 40, tzinfo=UTC)


def test_a_foreign_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / f"{DAY}.log").write_text("something else\n")
    with Ledger.open(tmp_path, today=DAY) as ledger, pytest.raises(StoreFormatError):
        ledger.records(DAY)


def test_migration_keeps_the_record_under_both_ids(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, today=DAY) as ledger:
        ledger.begin(DAY, -5, 0, 2, SINCE, UNTIL)
        ledger.sent(DAY, -5, 0, 1)
        ledger.migrated(DAY, -5, -1005)
        ledger.begin(DAY, -1005, 1, 2, SINCE, UNTIL)
        ledger.sent(DAY, -1005, 1, 2)
    assert log_of(tmp_path)[-3:] == ["M -5 -1005", "B -5 1", "S -5 1 2"]
    with Ledger.open(tmp_path, today=DAY) as ledger:
        for chat in (-5, -1005):
            record = ledger.record(DAY, chat)
            assert record is not None
            assert (record.chat_id, record.migrated_to, record.sent) == (-5, -1005, {0, 1})
        assert set(ledger.records(DAY)) == {-5}


def test_old_files_are_pruned_on_open(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, today=DAY) as ledger:
        for back in range(10):
            day = DAY - dt.timedelta(back)
            ledger.begin(day, 1, 0, 1, SINCE, UNTIL)
    (tmp_path / "ledger" / "notes.txt").write_text("kept")
    with Ledger.open(tmp_path, keep_days=3, today=DAY):
        pass
    names = sorted(p.name for p in (tmp_path / "ledger").iterdir() if not p.name.startswith("."))
    assert names == ["2026-03-26.log", "2026-03-27.log", "2026-03-28.log", "2026-03-29.log",
                     "notes.txt"]


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, today=DAY), pytest.raises(StoreLocked):
        Ledger.open(tmp_path, today=DAY)


def test_misuse_is_refused(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, today=DAY) as ledger:
        with pytest.raises(ValueError):
            ledger.sent(DAY, 1, 0, 5)  # never begun
        with pytest.raises(ValueError):
            ledger.begin(DAY, 1, 2, 2, SINCE, UNTIL)
        with pytest.raises(ValueError):
            ledger.begin(DAY, 1, 0, 1, SINCE.replace(tzinfo=None), UNTIL)


def test_group_commit_flush(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, today=DAY) as ledger:
        for chat in range(5):
            ledger.begin(DAY, chat, 0, 1, SINCE, UNTIL, sync=False)
        ledger.flush()
        assert len(log_of(tmp_path)) == 6
        assert all(r.pending == {0} for r in ledger.records(DAY).values())
