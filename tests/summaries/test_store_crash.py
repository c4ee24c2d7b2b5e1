"""Kill a writer with SIGKILL at random instants: the store must hold whole batches only."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from summaries.article import Article
from summaries.store import Store
from tests.summaries.store_writer import WRITER_SCRIPT as WRITER
from tests.summaries.store_writer import batches

FOLDERS = 5
KILLS_PER_FOLDER = 5


def _stored(data: Path) -> list[Article]:
    """Everything in the store, by day and ingest order, after a writable open (replay)."""
    with Store.open(data) as store:
        stored = [article for day in store.dates() for article in store.by_date(day)]
        assert store.count() == len(stored)
        return stored


def _expected(k: int) -> list[Article]:
    """What the first k batches store, by day and ingest order."""
    seen: dict[str, Article] = {}
    for batch in batches()[:k]:
        for article in batch:
            seen.setdefault(article.id, article)
    return sorted(seen.values(), key=lambda a: a.date)  # stable: ingest order within a day


def _kill_at_random(data: Path, delay: float) -> int:
    """Run a writer, SIGKILL it after `delay` seconds; the last batch it reported done."""
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), "write", str(data)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    try:
        writer.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    reported = [int(line) for line in writer.stdout.read().split()]
    writer.stdout.close()
    return reported[-1] if reported else 0


@pytest.mark.timeout(180)
def test_killed_writer_leaves_whole_batches(tmp_path: Path) -> None:
    rng = random.Random()  # a new draw of kill instants on every run
    prefixes = {k: _expected(k) for k in range(len(batches()) + 1)}
    by_ids = {frozenset(a.id for a in arts): k for k, arts in prefixes.items()}
    for folder in range(FOLDERS):
        data = tmp_path / f"data{folder}"
        floor = 0  # batches known to be stored: later runs can only add to them
        for _ in range(KILLS_PER_FOLDER):
            # The writer restarts from batch 1 each time; earlier batches come back "present".
            done = _kill_at_random(data, rng.uniform(0.0, 0.7))
            stored = _stored(data)
            k = by_ids.get(frozenset(a.id for a in stored))
            assert k is not None, f"stored ids are not a prefix of batches ({len(stored)})"
            assert k >= max(done, floor), (k, done, floor)
            assert k <= max(done, floor) + 1
            assert stored == prefixes[k]  # every field round-trips, in ingest order
            floor = k
