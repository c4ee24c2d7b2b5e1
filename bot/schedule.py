"""When each digest is due: local wall-clock times across time zones and clock changes.

Subscribers are grouped by (time, zone), so finding who is due costs a few date
computations per distinct pair, not one per subscriber: 100,000 readers share a few
hundred pairs. A digest is keyed by the reader's local date, so a day has one digest
however the clocks move: on the night clocks go back, the time that occurs twice is
taken at its first occurrence; on the night they go forward, a time that does not exist
is taken at the same distance past the change (02:30 becomes 03:30), never skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.subscriptions import Subscription, zone_info

UTC = dt.timezone.utc


def due_instant(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The UTC instant of `at` on local `day` in `tz` (first occurrence; gaps shift forward)."""
    local = dt.datetime.combine(day, at, tzinfo=tz).replace(fold=0)
    return local.astimezone(UTC)


def next_due(now: dt.datetime, at: dt.time, tz: dt.tzinfo) -> tuple[dt.date, dt.datetime]:
    """The next local day whose digest time is after `now`, and that instant."""
    day = now.astimezone(tz).date() - dt.timedelta(days=1)
    while True:
        instant = due_instant(day, at, tz)
        if instant > now:
            return day, instant
        day += dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Due:
    """A digest that should go out: whose, for which local day, due since when."""

    chat_id: int
    day: dt.date
    instant: dt.datetime


class Schedule:
    """Active subscriptions grouped by (time, zone)."""

    def __init__(self, subscriptions: Iterable[Subscription] = ()) -> None:
        self._groups: dict[tuple[dt.time, str], set[int]] = defaultdict(set)
        self._where: dict[int, tuple[dt.time, str]] = {}
        for subscription in subscriptions:
            self.put(subscription)

    def put(self, subscription: Subscription) -> None:
        """Add or move a subscription; an inactive one is removed."""
        self.remove(subscription.chat_id)
        if subscription.active:
            key = (subscription.at, subscription.zone)
            self._groups[key].add(subscription.chat_id)
            self._where[subscription.chat_id] = key

    def remove(self, chat_id: int) -> None:
        key = self._where.pop(chat_id, None)
        if key is not None:
            members = self._groups[key]
            members.discard(chat_id)
            if not members:
                del self._groups[key]

    def __len__(self) -> int:
        return len(self._where)

    def due(self, now: dt.datetime, grace: dt.timedelta) -> Iterator[Due]:
        """Every (chat, local day) whose digest time has passed, at most `grace` ago.

        The caller drops those its ledger already has; yesterday is looked at too, so a
        digest due at 23:50 is still sent by a bot that comes back at 00:30.
        """
        for (at, zone), members in self._groups.items():
            tz = zone_info(zone)
            today = now.astimezone(tz).date()
            for day in (today - dt.timedelta(days=1), today):
                instant = due_instant(day, at, tz)
                if instant <= now < instant + grace:
                    for chat_id in members:
                        yield Due(chat_id, day, instant)
