"""The paced, ledgered fan-out through the real telegram.Bot against the loopback fake API.

A controllable clock stands in for waiting (retry_after, per-chat spacing, backoff): the
Deliverer sleeps through it, so these tests run in well under a second each, and what it
slept is there to assert on. Two tests use the real clock against the fake's own
sliding-second flood limit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery import Deliverer, DeliveryReport, Outgoing
from bot.transport import LeanRequest
from summaries.ledger import Ledger
from tests.fakes import FakeBotApi

T = TypeVar("T")
UTC = dt.UTC
DAY = dt.date(2026, 3, 29)
SINCE = dt.datetime(2026, 3, 28, 6, tzinfo=UTC)
UNTIL = dt.datetime(2026, 3, 29, 6, tzinfo=UTC)


class Clock:
    """Virtual time: a sleep ends on the next turn of the loop, at the time it was due.

    Sleeps overlap as real ones do: two tasks sleeping 1 s from the same instant both
    wake 1 s later, not 2 s (time only moves forward, to the latest wake-up so far).
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        due = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, due)


def digest(chat_id: int, parts: int = 1, *, is_group: bool = False, day: dt.date = DAY,
           text: str = "<b>News</b> for {chat}, part {part}") -> Outgoing:
    return Outgoing(chat_id, day, tuple(text.format(chat=chat_id, part=n) for n in range(parts)),
                    SINCE, UNTIL, is_group)


_transport = {"name": "httpx"}


@pytest.fixture(params=["httpx", "lean"], autouse=True)
def transport(request: pytest.FixtureRequest) -> str:
    """Every test runs through PTB's HTTPXRequest and through bot/transport.py's LeanRequest."""
    _transport["name"] = request.param
    return str(request.param)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path, today=DAY) as opened:
        yield opened


def deliver(fake: FakeBotApi, ledger: Ledger, items: list[Outgoing], *,
            clock: Clock | None = None, read_timeout: float = 5.0,
            **options: Any) -> DeliveryReport:
    """One fan-out on a fresh loop, as a job of the bot would run it."""
    clock = clock or Clock()

    async def run() -> DeliveryReport:
        request: HTTPXRequest | LeanRequest
        if _transport["name"] == "lean":
            request = LeanRequest(connection_pool_size=Deliverer.pool_size(8),
                                  read_timeout=read_timeout)
        else:
            request = HTTPXRequest(connection_pool_size=Deliverer.pool_size(8),
                                   read_timeout=read_timeout)
        async with Bot(fake.token, base_url=fake.base_url, request=request) as bot:
            deliverer = Deliverer(bot, ledger, concurrency=8, sleep=clock.sleep,
                                  monotonic=clock.monotonic, **options)
            try:
                return await deliverer.deliver(items)
            finally:
                deliverer.close()

    return asyncio.run(run())


def received(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [m.source for m in fake.sent_messages(chat_id)]


def recorder() -> tuple[list[tuple[Any, ...]], Callable[..., Awaitable[None]]]:
    calls: list[tuple[Any, ...]] = []

    async def record(*args: Any) -> None:
        calls.append(args)

    return calls, record


def test_every_part_once_as_html_without_previews(fake: FakeBotApi, ledger: Ledger) -> None:
    items = [digest(1), digest(2, parts=3), digest(-300, parts=2, is_group=True)]
    report = deliver(fake, ledger, items)
    assert (report.sent_messages, report.digests_done, report.errors) == (6, 3, 0)
    assert received(fake, 2) == [f"<b>News</b> for 2, part {n}" for n in range(3)]
    for call in fake.calls("sendMessage"):
        assert call.params["parse_mode"] == "HTML"
        assert call.params["link_preview_options"] == {"is_disabled": True}
        assert "allow_paid_broadcast" not in call.params
    record = ledger.record(DAY, 2)
    assert record is not None and record.complete and record.sent == {0, 1, 2}

    again = deliver(fake, ledger, items)  # the next tick, or a restart: nothing twice
    assert (again.sent_messages, again.skipped) == (0, 3)
    assert len(fake.calls("sendMessage")) == 6


def test_parts_of_a_chat_are_spaced_and_groups_kept_under_20_a_minute(
        fake: FakeBotApi, ledger: Ledger) -> None:
    clock = Clock()
    start = clock.now
    report = deliver(fake, ledger, [digest(1, parts=3)], clock=clock)
    assert report.sent_messages == 3
    assert clock.now - start >= 2 * 1.0  # one message per second per chat
    clock = Clock()
    start = clock.now
    report = deliver(fake, ledger, [digest(-7, parts=25, is_group=True)], clock=clock)
    assert report.sent_messages == 25
    assert clock.now - start >= 60.0  # the 21st waited for the minute to pass


def test_flood_wait_pauses_everything_then_sends_the_same_part(
        fake: FakeBotApi, ledger: Ledger) -> None:
    fake.fail_next("sendMessage", 429, retry_after=7, chat_id=2)
    clock = Clock()
    report = deliver(fake, ledger, [digest(chat) for chat in range(1, 6)], clock=clock)
    assert (report.sent_messages, report.flood_waits, report.errors) == (5, 1, 0)
    assert max(clock.slept) >= 6.9
    assert all(len(received(fake, chat)) == 1 for chat in range(1, 6))
    assert fake.refused(429) == 1


def test_pacing_keeps_under_a_sliding_second_limit(fake: FakeBotApi, ledger: Ledger) -> None:
    fake.rate_limit(20)
    report = deliver(fake, ledger, [digest(chat) for chat in range(1, 31)],
                     clock=_RealClock(), rate=20)
    assert (report.sent_messages, report.flood_waits) == (30, 0)
    assert fake.refused(429) == 0


def test_real_429_from_the_flood_limit_is_waited_out(fake: FakeBotApi, ledger: Ledger) -> None:
    fake.rate_limit(5, retry_after=1)
    report = deliver(fake, ledger, [digest(chat) for chat in range(1, 9)],
                     clock=_RealClock(), rate=1000)
    assert report.sent_messages == 8 and report.flood_waits >= 1
    assert all(len(received(fake, chat)) == 1 for chat in range(1, 9))


def test_blocked_and_vanished_chats_fail_without_stopping_others(
        fake: FakeBotApi, ledger: Ledger) -> None:
    fake.fail_next("sendMessage", 403, chat_id=2)
    fake.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=3)
    blocked, on_blocked = recorder()
    report = deliver(fake, ledger, [digest(chat, parts=2) for chat in range(1, 5)],
                     on_blocked=on_blocked)
    assert sorted(report.blocked) == [2, 3] and report.errors == 0
    assert sorted(blocked) == [(2, "Forbidden: bot was blocked by the user"),
                               (3, "Chat not found")]
    assert received(fake, 2) == received(fake, 3) == []
    assert len(received(fake, 1)) == len(received(fake, 4)) == 2
    record = ledger.record(DAY, 2)
    assert record is not None and record.complete and record.failed is not None
    assert deliver(fake, ledger, [digest(2, parts=2)]).skipped == 1


def test_server_errors_are_retried_with_backoff(fake: FakeBotApi, ledger: Ledger) -> None:
    fake.fail_next("sendMessage", 502, "Bad Gateway", chat_id=1, times=2)
    fake.fail_next("sendMessage", 500, chat_id=2)
    clock = Clock()
    report = deliver(fake, ledger, [digest(1), digest(2), digest(3)], clock=clock)
    assert (report.sent_messages, report.retries, report.errors) == (3, 3, 0)
    assert all(len(received(fake, chat)) == 1 for chat in (1, 2, 3))
    assert 0.5 in clock.slept or any(s >= 0.5 for s in clock.slept)


def test_timeouts_are_retried(fake: FakeBotApi, ledger: Ledger) -> None:
    fake.slow_next("sendMessage", 1.0, chat_id=1)
    report = deliver(fake, ledger, [digest(1), digest(2)], read_timeout=0.3)
    assert (report.sent_messages, report.retries, report.errors) == (2, 1, 0)
    # Telegram carried out the timed-out call too: the duplicate a retried read timeout
    # can cause (see bot/delivery.py), here on purpose.
    fake.wait_for(lambda call: call.method == "sendMessage" and call.chat_id == 1, count=2)
    assert len(received(fake, 1)) == 2


def test_giving_up_leaves_the_part_for_a_later_tick(fake: FakeBotApi, ledger: Ledger) -> None:
    fake.fail_next("sendMessage", 502, "Bad Gateway", chat_id=1, times=3)
    report = deliver(fake, ledger, [digest(1, parts=2), digest(2)], max_retries=2)
    assert (report.sent_messages, report.errors, report.uncertain) == (1, 1, 0)
    record = ledger.record(DAY, 1)
    assert record is not None and not record.sent and not record.uncertain
    later = deliver(fake, ledger, [digest(1, parts=2), digest(2)])
    assert (later.sent_messages, later.skipped) == (2, 1)
    assert len(received(fake, 1)) == 2


def test_giving_up_after_timeouts_marks_the_part_uncertain(
        fake: FakeBotApi, ledger: Ledger) -> None:
    fake.slow_next("sendMessage", 0.5, chat_id=1, times=2)
    report = deliver(fake, ledger, [digest(1, parts=2)], read_timeout=0.2, max_retries=1)
    assert (report.uncertain, report.errors) == (1, 1)
    record = ledger.record(DAY, 1)
    assert record is not None and record.uncertain == {0}
    later = deliver(fake, ledger, [digest(1, parts=2)])
    assert later.sent_messages == 1  # part 1 only: part 0 may have arrived


def test_group_migration_is_followed(fake: FakeBotApi, ledger: Ledger) -> None:
    old, new = -4001, -1004001
    fake.fail_next("sendMessage", 400, migrate_to_chat_id=new, chat_id=old)
    migrations, on_migrated = recorder()
    report = deliver(fake, ledger, [digest(old, parts=2, is_group=True), digest(5)],
                     on_migrated=on_migrated)
    assert report.migrated == {old: new} and migrations == [(old, new)]
    assert received(fake, new) == [f"<b>News</b> for {old}, part {n}" for n in range(2)]
    record = ledger.record(DAY, new)
    assert record is not None and record.chat_id == old and record.complete
    # The subscription now names the supergroup: its digest is not sent again.
    assert deliver(fake, ledger, [digest(new, parts=2, is_group=True)]).skipped == 1


def test_content_telegram_refuses_fails_that_digest_only(
        fake: FakeBotApi, ledger: Ledger) -> None:
    items = [digest(1, text="a < b, part {part}"), digest(2)]
    report = deliver(fake, ledger, items)
    assert (report.sent_messages, report.errors, report.blocked) == (1, 1, [])
    record = ledger.record(DAY, 1)
    assert record is not None and record.failed is not None
    assert "can't parse entities" in record.failed.lower()


def test_resumes_from_the_ledger(fake: FakeBotApi, tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "resume", today=DAY) as before:
        before.begin(DAY, 1, 0, 3, SINCE, UNTIL)
        before.sent(DAY, 1, 0, 11)
        before.begin(DAY, 1, 1, 3, SINCE, UNTIL)  # the kill landed here
        before.begin(DAY, 2, 0, 1, SINCE, UNTIL)
        before.sent(DAY, 2, 0, 12)
        before._lock.release()
        items = [digest(1, parts=3), digest(2), digest(3, parts=2)]
        with Ledger.open(tmp_path / "resume", today=DAY) as after:
            report = deliver(fake, after, items)
            record = after.record(DAY, 1)
    assert (report.sent_messages, report.digests_done, report.skipped) == (3, 2, 1)
    assert received(fake, 1) == ["<b>News</b> for 1, part 2"]
    assert received(fake, 2) == []
    assert len(received(fake, 3)) == 2
    assert record is not None and (record.sent, record.uncertain) == ({0, 2}, {1})


def test_paid_broadcast_flag(fake: FakeBotApi, ledger: Ledger) -> None:
    deliver(fake, ledger, [digest(1)], paid_broadcast=True, rate=1000)
    assert fake.calls("sendMessage")[0].params["allow_paid_broadcast"] is True


class _RealClock(Clock):
    def monotonic(self) -> float:
        import time
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
