"""Daily digests: who is due, what each gets, and handing it to the paced sender.

One job runs every minute (and once at start-up, which catches up on digests missed
while the bot was down, within the grace). It asks the schedule who is due, drops what
the ledger already has, composes each digest for the window since that reader's last
one, and gives the lot to the `Deliverer`, which paces, sends and ledgers each message.
A digest's window ends at its due time, not when it is sent, so a digest recomposed
after a restart is the same digest.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.archive import Archive
from bot.clock import Clock
from bot.config import DigestConfig
from bot.delivery import Deliverer, Outgoing
from bot.render import Segment, digest as digest_segments, to_messages
from bot.schedule import Due, Schedule, due_instant
from bot.subscriptions import Subscription
from summaries.article import Article
from summaries.digest import select
from summaries.ledger import Ledger

log = logging.getLogger(__name__)
FIRST_WINDOW = dt.timedelta(hours=24)  # a first digest covers the last day
NOTHING_NEW = "Nothing new since your last digest."
NOTHING_TODAY = ("Nothing new in the last 24 hours. /latest shows the newest articles in the "
                 "archive.")
QUIET = "nothing new, and the reader asked for no note"


@dataclass
class Digests:
    """The digest side of the bot: subscriptions in memory, the schedule, the sender."""

    archive: Archive
    ledger: Ledger
    deliverer: Deliverer
    config: DigestConfig
    clock: Clock
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    schedule: Schedule = field(default_factory=Schedule)
    _running: asyncio.Task[None] | None = None

    async def load(self) -> None:
        """Read every subscription and build the schedule (start-up)."""
        self.subscriptions = await self.archive.subscriptions()
        self.schedule = Schedule(self.subscriptions.values())
        today = self.clock.now().date()  # every zone's local date is within a day of UTC's
        await self._load_ledger(today + dt.timedelta(days=n) for n in (-1, 0, 1))
        log.info("%d subscriptions, %d active", len(self.subscriptions), len(self.schedule))

    # ---------------------------------------------------------------- subscriptions
    def subscription_for(self, chat_id: int, *, is_group: bool = False) -> Subscription:
        """The chat's subscription, or an inactive one holding the configured defaults."""
        found = self.subscriptions.get(chat_id)
        if found is not None:
            return found
        return Subscription(chat_id=chat_id, at=self.config.time, zone=self.config.timezone,
                            count=self.config.articles, quiet=self.config.quiet, active=False,
                            is_group=is_group)

    async def save(self, subscription: Subscription) -> None:
        self.subscriptions[subscription.chat_id] = subscription
        self.schedule.put(subscription)
        await self.archive.save_subscriptions([subscription])

    def next_delivery(self, subscription: Subscription) -> dt.datetime:
        """When the next digest goes out, in the reader's local time.

        A digest due but not yet sent (the bot was down, or the minute has not ticked)
        goes out now; one already sent, or missed beyond the grace, is not the next.
        """
        now = self.clock.now()
        tz = subscription.tz
        day = now.astimezone(tz).date() - dt.timedelta(days=1)
        while True:
            instant = due_instant(day, subscription.at, tz)
            record = self.ledger.record(day, subscription.chat_id)
            started = subscription.start is None or instant >= subscription.start
            if started and instant + self.grace > now and (record is None or not record.complete):
                return max(instant, now).astimezone(tz)
            day += dt.timedelta(days=1)

    @property
    def grace(self) -> dt.timedelta:
        return dt.timedelta(hours=self.config.grace_hours)

    # ---------------------------------------------------------------- the minute job
    async def tick(self) -> None:
        """Start sending every digest that is due; runs every minute and once at start-up.

        The fan-out runs on as a task of its own (at 30 messages/s, 10,000 digests take
        five minutes), so the minute job returns at once; while it runs, ticks wait, and
        the first tick after it picks up whoever fell due meanwhile.
        """
        if self._running is not None and not self._running.done():
            return
        candidates = list(self.schedule.due(self.clock.now(), self.grace))
        await self._load_ledger({d.day for d in candidates})
        due = [d for d in candidates if self._open(d)]
        if not due:
            return
        outgoing = await self._compose_all(due)
        self._running = asyncio.create_task(self._deliver(outgoing))

    async def stop(self) -> None:
        """End a running fan-out (shutdown); what was sent is in the ledger."""
        if self._running is not None and not self._running.done():
            self._running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._running

    async def _load_ledger(self, days: Iterable[dt.date]) -> None:
        """Read the ledger's day files in a thread: the checks that follow stay cheap."""
        for day in days:
            await asyncio.to_thread(self.ledger.load, day)

    async def idle(self) -> None:
        """Wait for a running fan-out to finish (tests, and a clean shutdown)."""
        if self._running is not None:
            await asyncio.shield(self._running)

    def _open(self, due: Due) -> bool:
        sub = self.subscriptions.get(due.chat_id)
        if sub is None or (sub.start is not None and due.instant < sub.start):
            return False  # the grace catches up after downtime, not before a subscription
        record = self.ledger.record(due.day, due.chat_id)
        return record is None or not record.complete

    async def _deliver(self, outgoing: list[Outgoing]) -> None:
        for item in outgoing:
            if not item.parts:  # a quiet reader with nothing new: the day is done, unsent
                self.ledger.begin(item.day, item.chat_id, 0, 1, item.since, item.until)
                self.ledger.not_sent(item.day, item.chat_id, 0, QUIET)
                self.ledger.failed(item.day, item.chat_id, QUIET)
        report = await self.deliverer.deliver([item for item in outgoing if item.parts])
        done = []
        for item in outgoing:
            record = self.ledger.record(item.day, item.chat_id)
            sub = self.subscriptions.get(item.chat_id)
            if record is not None and record.complete and sub is not None and record.failed is None:
                done.append(sub.with_changes(last_until=item.until))
        for sub in done:
            self.subscriptions[sub.chat_id] = sub
        await self.archive.save_subscriptions(done)
        log.info("digests: %s", report)

    async def _compose_all(self, due: Iterable[Due]) -> list[Outgoing]:
        """Each due reader's digest; readers with the same window and settings share one."""
        due = list(due)
        sentences = await self.archive.sentences_many([d.chat_id for d in due])
        windows: dict[tuple[dt.datetime, dt.datetime], list[Article]] = {}
        composed: dict[tuple[object, ...], tuple[str, ...]] = {}
        outgoing = []
        for item in due:
            sub = self.subscriptions.get(item.chat_id)
            if sub is None:
                continue
            since, until = self._window(sub, item)
            if (since, until) not in windows:
                windows[(since, until)] = await self.archive.ingested_between(since, until)
            length = sentences.get(sub.chat_id, self.archive.default_sentences)
            key = (since, until, item.day, sub.count, sub.include, sub.exclude, sub.quiet, length)
            if key not in composed:
                composed[key] = self.compose(sub, item.day, windows[(since, until)], length)
            outgoing.append(Outgoing(chat_id=sub.chat_id, day=item.day, parts=composed[key],
                                     since=since, until=until, is_group=sub.is_group))
        return outgoing

    def _window(self, sub: Subscription, due: Due) -> tuple[dt.datetime, dt.datetime]:
        record = self.ledger.record(due.day, due.chat_id)
        if record is not None:  # a digest begun before a restart: the very same window
            return record.since, record.until
        until = due.instant
        since = sub.last_until if sub.last_until and sub.last_until < until else until - FIRST_WINDOW
        return since, until

    def compose(self, sub: Subscription, day: dt.date, articles: list[Article], sentences: int
                ) -> tuple[str, ...]:
        """The digest's messages; no message at all when nothing is new and the reader is quiet."""
        items = select(articles, count=sub.count, include=sub.include, exclude=sub.exclude)
        if items:
            return tuple(to_messages(digest_segments(day, items, sentences)))
        if sub.quiet:
            return ()
        return tuple(to_messages([Segment(NOTHING_NEW, gap="")]))

    async def compose_now(self, sub: Subscription, sentences: int) -> list[str]:
        """/digest: what the next digest would hold if it went out now."""
        now = self.clock.now()
        since = sub.last_until if sub.last_until and sub.last_until < now else now - FIRST_WINDOW
        articles = await self.archive.ingested_between(since, now)
        items = select(articles, count=sub.count, include=sub.include, exclude=sub.exclude)
        if not items:
            note = NOTHING_NEW if sub.last_until else NOTHING_TODAY
            return to_messages([Segment(note, gap="")])
        return to_messages(digest_segments(now.astimezone(sub.tz).date(), items, sentences))

    # ---------------------------------------------------------------- sender callbacks
    async def blocked(self, chat_id: int, reason: str) -> None:
        sub = self.subscriptions.get(chat_id)
        if sub is not None:
            log.info("chat %s stopped receiving digests: %s", chat_id, reason)
            await self.save(sub.with_changes(active=False, stopped=reason))

    async def migrated(self, old: int, new: int) -> None:
        sub = self.subscriptions.pop(old, None)
        self.schedule.remove(old)
        if sub is not None:
            await self.archive.remove_subscription(old)
            await self.save(sub.with_changes(chat_id=new, is_group=True))
