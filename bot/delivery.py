"""Digest fan-out: every part to every chat once, paced under Telegram's limits, ledgered.

For each part: a begin record goes to the ledger and is made durable (one fdatasync in a
worker thread covers every begin since the last, so a sync never stalls the loop), then
the message is sent, then the outcome is recorded. A part the ledger has as sent or
uncertain is never sent again, so a restarted bot resumes where the killed one stopped.

Pacing (bot/pacing.py): one grid at `rate` less 3 % for every send, a chat's next part no
sooner than `per_chat_interval` after its last (and after the last one's answer, so parts
arrive in order), a group no more than `group_per_minute` in any minute. Up to
`concurrency` sends are in flight, so the round trip does not bound throughput: the bot's
connection pool must hold that many connections besides its own (see `pool_size`).

What Telegram answers, and what follows (the ledger is keyed by the chat the digest was
first sent to; after a migration the record also answers to the new id):

    ok                      sent; the next part follows
    429 RetryAfter          the whole fan-out pauses retry_after, then the same part again
    TimedOut, 5xx, network  retried with exponential backoff up to max_retries; then the
                            part is "uncertain" if the last try may have arrived (a read
                            timeout), else "not sent" and a later deliver() tries again
    ChatMigrated            on_migrated(old, new), the same part again to the new id
    403, chat not found     the digest fails for good; on_blocked(chat, reason)
    other 400               the digest fails for good (its content is wrong); an error
    anything else           the part is uncertain (the answer may have come); an error

A retried timeout may duplicate a message Telegram got but did not confirm in time, so
the read timeout should be long (LeanRequest's is 20 s). No exception escapes `deliver`
but cancellation, which records the parts in flight as uncertain. If the ledger cannot
be written, nothing more is sent and the report says why (`stopped`).

The Bot's request should be bot/transport.py's LeanRequest, as the app's is (but behind
a proxy, app.py): PTB's HTTPXRequest costs ~2 ms of CPU a request here, which caps a
fan-out near 400/s and, with many connections, adds enough jitter to draw 429s
(measured; bench/fanout.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.answers import call_back, is_gone, may_have_arrived, retry_seconds
from bot.groupcommit import GroupCommit
from bot.messages import send_html
from bot.pacing import Pacer
from summaries.ledger import Ledger

__all__ = ["Deliverer", "DeliveryReport", "Outgoing"]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One chat's digest of one local day: Telegram HTML parts, each ≤ 4,096 UTF-16 units."""

    chat_id: int
    day: dt.date
    parts: tuple[str, ...]
    since: dt.datetime
    until: dt.datetime
    is_group: bool = False


@dataclass
class DeliveryReport:
    """What one `deliver` call did; `errors` counts digests left unfinished by an error."""

    sent_messages: int = 0
    digests_done: int = 0
    skipped: int = 0  # complete or failed before this call
    blocked: list[int] = field(default_factory=list)
    migrated: dict[int, int] = field(default_factory=dict)
    uncertain: int = 0
    errors: int = 0
    flood_waits: int = 0  # 429 answers
    retries: int = 0  # timeouts, 5xx and network errors retried
    stopped: str | None = None  # why the fan-out stopped early: the ledger failed


class _Job:
    """One digest being delivered: where it goes and which parts are left."""

    __slots__ = ("attempt", "item", "key", "target", "todo")

    def __init__(self, item: Outgoing, key: int, target: int, todo: deque[int]) -> None:
        self.item, self.key, self.target, self.todo = item, key, target, todo
        self.attempt = 0


class Deliverer:
    """Sends digests through `bot`, recording each part in `ledger` (see module doc)."""

    def __init__(self, bot: Bot, ledger: Ledger, *, rate: float = 30.0,
                 per_chat_interval: float = 1.0, group_per_minute: int = 20,
                 paid_broadcast: bool = False, max_retries: int = 5, concurrency: int = 32,
                 backoff: float = 0.5,
                 on_blocked: Callable[[int, str], Awaitable[None]] | None = None,
                 on_migrated: Callable[[int, int], Awaitable[None]] | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._bot, self._ledger = bot, ledger
        self._pacer = Pacer(rate=rate, per_chat_interval=per_chat_interval,
                            group_per_minute=group_per_minute, sleep=sleep, monotonic=monotonic)
        self._paid, self._max_retries, self._concurrency = paid_broadcast, max_retries, concurrency
        self._backoff = backoff
        self._on_blocked, self._on_migrated = on_blocked, on_migrated
        self._sleep, self._now = sleep, monotonic
        self._commit = GroupCommit(ledger.flush)

    @staticmethod
    def pool_size(concurrency: int = 32) -> int:
        """Connections the Bot's request needs: every send in flight, and some to spare."""
        return concurrency + 16

    async def deliver(self, items: Iterable[Outgoing]) -> DeliveryReport:
        """Send every part not yet sent or uncertain; returns when all are done or given up."""
        self._pacer.forget_idle()
        run = _Run(self, iter(items))
        try:
            await run.dispatch()
        finally:
            if run.tasks:
                for task in run.tasks:
                    task.cancel()
                await asyncio.gather(*run.tasks, return_exceptions=True)
        return run.report

    @property
    def bot(self) -> Bot:
        """The Bot the digests go through (the application's, or one of its own)."""
        return self._bot

    def close(self) -> None:
        """Stop the ledger's sync thread; call after the last `deliver`."""
        self._commit.close()


class _Run:
    """The state of one `deliver` call: jobs ready, jobs waiting for a time, sends in flight."""

    def __init__(self, owner: Deliverer, items: Iterator[Outgoing]) -> None:
        self.o = owner
        self.items: Iterator[Outgoing] | None = items
        self.report = DeliveryReport()
        self.ready: deque[_Job] = deque()
        self.waiting: list[tuple[float, int, _Job]] = []  # heap by the time a job may go
        self.order = itertools.count()
        self.tasks: set[asyncio.Task[None]] = set()
        self.active: set[tuple[dt.date, int]] = set()
        self.wake = asyncio.Event()
        self.broken: BaseException | None = None  # the ledger failed: send nothing more

    async def dispatch(self) -> None:
        o = self.o
        while self.broken is None:
            now = o._now()
            while self.waiting and self.waiting[0][0] <= now:
                self.ready.append(heapq.heappop(self.waiting)[2])
            if not self.ready and not self._admit_next(now):
                if self.items is None and not self.waiting and not self.tasks:
                    return
                await self._idle(self.waiting[0][0] - now if self.waiting else None)
                continue
            if len(self.tasks) >= o._concurrency:
                await self._idle(None)
                continue
            self._start(self.ready.popleft())
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.report.stopped = f"the ledger cannot be written: {self.broken}"
        _LOG.error("digest delivery stopped: %s", self.report.stopped)

    def _admit_next(self, now: float) -> bool:
        """Take the next item off the iterator as a job: ready, waiting, or skipped."""
        while self.items is not None:
            item = next(self.items, None)
            if item is None:
                self.items = None
                return False
            job = self._job(item)
            if job is None:
                continue
            at = self._earliest(job, now)
            if at <= now:
                self.ready.append(job)
                return True
            self._wait(job, at)
        return False

    def _job(self, item: Outgoing) -> _Job | None:
        record = self.o._ledger.record(item.day, item.chat_id)
        key = record.chat_id if record else item.chat_id
        if (item.day, key) in self.active:
            return None  # the same digest twice in one call: the first one sends it
        if record is None:
            todo = deque(range(len(item.parts)))
            target = item.chat_id
        else:
            done = record.sent | record.uncertain | record.pending
            todo = deque(p for p in range(len(item.parts)) if p not in done)
            target = record.migrated_to or item.chat_id
            if record.failed is not None or not todo:
                self.report.skipped += 1
                return None
        self.active.add((item.day, key))
        return _Job(item, key, target, todo)

    def _earliest(self, job: _Job, now: float) -> float:
        return max(self.o._pacer.earliest(job.target, job.item.is_group), now)

    def _wait(self, job: _Job, at: float) -> None:
        heapq.heappush(self.waiting, (at, next(self.order), job))
        self.wake.set()

    async def _idle(self, timeout: float | None) -> None:
        """Until a send finishes or `timeout` passes (through the injected sleep)."""
        self.wake.clear()
        if timeout is None:
            await self.wake.wait()
            return
        waiter = asyncio.ensure_future(self.wake.wait())
        sleeper = asyncio.ensure_future(self.o._sleep(max(timeout, 0.0)))
        await asyncio.wait({waiter, sleeper}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        sleeper.cancel()

    def _start(self, job: _Job) -> None:
        o, item, part = self.o, job.item, job.todo[0]
        try:
            o._ledger.begin(item.day, job.key, part, len(item.parts), item.since, item.until,
                            sync=False)
        except Exception as error:
            self.broken = error
            return
        task = asyncio.get_running_loop().create_task(self._send(job, part))
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.wake.set()

    # ------------------------------------------------------------------ one send

    async def _send(self, job: _Job, part: int) -> None:
        o, item = self.o, job.item
        try:
            await o._commit.wait()
            await o._pacer.turn(job.target, item.is_group)
        except asyncio.CancelledError:  # nothing left yet: it may go on a later call
            self._note(o._ledger.not_sent, item.day, job.key, part, "cancelled")
            raise
        except Exception as error:  # the begin may not be on disk: sending could duplicate
            self.broken = error
            return
        try:
            message_id = await send_html(o._bot, job.target, item.parts[part], paid=o._paid)
        except asyncio.CancelledError:
            self._note(o._ledger.uncertain, item.day, job.key, part)
            raise
        except Exception as error:
            await self._refused(job, part, error)
            return
        if not self._note(o._ledger.sent, item.day, job.key, part, message_id):
            return
        self.report.sent_messages += 1
        job.todo.popleft()
        job.attempt = 0
        if job.todo:
            self._wait(job, self._earliest(job, o._now()))
        else:
            self.report.digests_done += 1

    async def _refused(self, job: _Job, part: int, error: Exception) -> None:
        """Act on a failed send (the table in the module doc)."""
        o, report, day, key = self.o, self.report, job.item.day, job.key
        ledger = o._ledger
        if isinstance(error, RetryAfter):
            report.flood_waits += 1
            o._pacer.pause(retry_seconds(error))
            _LOG.warning("Telegram asks to wait %.0f s (flood control)", retry_seconds(error))
            if self._note(ledger.not_sent, day, key, part, "429 flood control"):
                self._again(job)
        elif isinstance(error, ChatMigrated):
            old, job.target = job.target, error.new_chat_id
            report.migrated[old] = job.target
            if (self._note(ledger.not_sent, day, key, part, "migrated")
                    and self._note(ledger.migrated, day, key, job.target)):
                await call_back(o._on_migrated, old, job.target)
                self._again(job)
        elif isinstance(error, Forbidden) or (isinstance(error, BadRequest) and is_gone(error)):
            report.blocked.append(job.target)
            if (self._note(ledger.not_sent, day, key, part, error.message)
                    and self._note(ledger.failed, day, key, error.message)):
                await call_back(o._on_blocked, job.target, error.message)
        elif isinstance(error, BadRequest):  # the content itself: sending again cannot help
            report.errors += 1
            _LOG.error("digest for chat %s of %s refused: %s", job.target, day, error.message)
            if self._note(ledger.not_sent, day, key, part, error.message):
                self._note(ledger.failed, day, key, error.message)
        elif isinstance(error, NetworkError):  # TimedOut, 5xx, connection errors
            job.attempt += 1
            if job.attempt <= o._max_retries:
                report.retries += 1
                if self._note(ledger.not_sent, day, key, part, f"retrying: {error.message}"):
                    delay = min(o._backoff * 2 ** (job.attempt - 1), 60.0)
                    self._wait(job, o._now() + delay)
                return
            report.errors += 1
            _LOG.warning("digest for chat %s of %s: giving up after %d tries: %s",
                         job.target, day, job.attempt, error.message)
            if may_have_arrived(error):
                report.uncertain += 1
                self._note(ledger.uncertain, day, key, part)
            else:
                self._note(ledger.not_sent, day, key, part, error.message)
        elif isinstance(error, TelegramError):  # InvalidToken, Conflict: refused, not sent
            report.errors += 1
            _LOG.error("digest for chat %s of %s refused: %s", job.target, day, error.message)
            self._note(ledger.not_sent, day, key, part, error.message)
        else:  # a bug after the answer came, perhaps: never send it again
            report.errors += 1
            _LOG.error("digest for chat %s of %s failed", job.target, day, exc_info=error)
            report.uncertain += 1
            self._note(ledger.uncertain, day, key, part)

    def _again(self, job: _Job) -> None:
        self.ready.appendleft(job)
        self.wake.set()

    def _note(self, write: Callable[..., None], *args: object) -> bool:
        """Write an outcome; a ledger that cannot be written stops the fan-out."""
        try:
            write(*args)
        except Exception as error:
            self.broken = error
            self.wake.set()
            return False
        return True
