"""kill -9 in the middle of a fan-out, then a restart: nothing lost, nothing twice.

A child process (delivery_child.py) sends 300 digests of 1-2 parts to the loopback fake,
which answers each send after 10 ms so the kill lands mid-fan-out. The test kills it
once the fake has received a given number of messages (counted, not timed), three times
at different points, then lets a fourth run finish. From the fake's record of what
arrived: each part exactly once, except parts the ledger calls uncertain (the ones in
flight at a kill), which arrived at most once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from summaries.ledger import Ledger
from tests.bot.delivery_child import DAY, parts_of
from tests.fakes import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
CHATS = 300
CONCURRENCY = 8
KILL_AT = (40, 170, 330)  # messages received by the fake, over all runs so far


def spawn(data: Path, fake: FakeBotApi) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.bot.delivery_child", str(data), fake.base_url,
         fake.token, str(CHATS), str(CONCURRENCY)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_during_fanout_neither_loses_nor_duplicates(tmp_path: Path, fake: FakeBotApi) -> None:
    fake.slow("sendMessage", 0.01)
    data = tmp_path / "data"
    for count in KILL_AT:
        child = spawn(data, fake)
        try:
            fake.wait_for("sendMessage", count=count, timeout=30)
        finally:
            child.kill()
            child.communicate()
    last = spawn(data, fake)
    out, err = last.communicate(timeout=60)
    assert last.returncode == 0, err
    report = json.loads(out)

    arrived = Counter(
        tuple(int(word) for word in call.params["text"].split()[1::2])
        for call in fake.calls("sendMessage") if call.ok)
    with Ledger.open(data, today=DAY) as ledger:
        records = ledger.records(DAY)
    uncertain = {(chat, part) for chat, record in records.items() for part in record.uncertain}
    assert all(record.complete for record in records.values()) and len(records) == CHATS
    for chat in range(1, CHATS + 1):
        for part in range(parts_of(chat)):
            if (chat, part) in uncertain:
                assert arrived[(chat, part)] <= 1, (chat, part)
            else:
                assert arrived[(chat, part)] == 1, (chat, part)
    assert len(uncertain) <= len(KILL_AT) * CONCURRENCY
    assert report["errors"] == 0 and report["sent_messages"] > 0
