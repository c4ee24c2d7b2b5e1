"""The one place the bot asks what time it is, so tests can set the time."""

from __future__ import annotations

import datetime as dt


class Clock:
    """Wall-clock time in UTC; `SetClock` replaces it in tests."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def today(self) -> dt.date:
        return self.now().date()


class SetClock(Clock):
    """A clock that shows what it was set to until it is set again."""

    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current
