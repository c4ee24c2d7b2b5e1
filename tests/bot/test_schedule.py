"""Digest times across time zones and clock changes, with a clock stepped by minutes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.schedule import Schedule, due_instant, next_due
from bot.subscriptions import Subscription, canonical_zone, parse_time, suggest_zone, zone_info

UTC = dt.timezone.utc
GRACE = dt.timedelta(hours=6)


def simulate(schedule: Schedule, start: dt.datetime, days: int) -> dict[tuple[int, dt.date], dt.datetime]:
    """Tick every minute like the bot; a (chat, day) is sent the first minute it is due.

    Digests due before `start` would be catch-ups of a bot that just started: left out.
    """
    sent: dict[tuple[int, dt.date], dt.datetime] = {}
    now = start
    while now < start + dt.timedelta(days=days):
        for due in schedule.due(now, GRACE):
            if due.instant >= start:
                sent.setdefault((due.chat_id, due.day), now)
        now += dt.timedelta(minutes=1)
    return sent


@pytest.mark.parametrize(
    ("zone", "start", "changes"),
    [
        ("Europe/Berlin", dt.datetime(2026, 3, 27, tzinfo=UTC), dt.date(2026, 3, 29)),  # forward
        ("Europe/Berlin", dt.datetime(2026, 10, 23, tzinfo=UTC), dt.date(2026, 10, 25)),  # back
        ("America/New_York", dt.datetime(2026, 3, 6, tzinfo=UTC), dt.date(2026, 3, 8)),
        ("America/New_York", dt.datetime(2026, 10, 30, tzinfo=UTC), dt.date(2026, 11, 1)),
    ],
)
@pytest.mark.parametrize("at", ["01:30", "02:00", "02:30", "03:00", "08:00", "23:59", "00:00"])
def test_one_digest_per_local_day_across_clock_changes(zone: str, start: dt.datetime,
                                                       changes: dt.date, at: str) -> None:
    time = parse_time(at)
    assert time is not None
    schedule = Schedule([Subscription(7, time, zone)])
    sent = simulate(schedule, start, days=5)
    tz = zone_info(zone)
    days = sorted(day for _, day in sent)
    assert len(days) == len(set(days))  # never two digests for one local day
    first, last = days[0], days[-1]
    assert days == [first + dt.timedelta(n) for n in range((last - first).days + 1)]  # none lost
    assert changes in days
    for (_, day), when in sent.items():
        local = when.astimezone(tz)
        assert local.date() == day
        expected = dt.datetime.combine(day, time)
        # On time to the minute; a time the clock skips is sent that far past the change.
        shift = (local.replace(tzinfo=None) - expected).total_seconds()
        assert shift == 0 or (day == changes and shift == 3600), (day, local)


def test_a_time_that_happens_twice_is_taken_once_at_its_first_occurrence() -> None:
    tz = zone_info("America/New_York")
    instant = due_instant(dt.date(2026, 11, 1), dt.time(1, 30), tz)
    assert instant == dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not EST


def test_a_skipped_time_moves_forward() -> None:
    tz = zone_info("Europe/Berlin")
    instant = due_instant(dt.date(2026, 3, 29), dt.time(2, 30), tz)
    assert instant.astimezone(tz).strftime("%H:%M %Z") == "03:30 CEST"


def test_digests_missed_while_down_are_caught_up_within_the_grace() -> None:
    schedule = Schedule([Subscription(1, dt.time(8, 0), "UTC"), Subscription(2, dt.time(1, 0), "UTC")])
    back = dt.datetime(2026, 5, 4, 9, 15, tzinfo=UTC)  # the bot was down from 07:00 to 09:15
    due = {(d.chat_id, d.day) for d in schedule.due(back, GRACE)}
    assert due == {(1, dt.date(2026, 5, 4))}  # 01:00 was more than six hours ago: skipped
    late = {(d.chat_id, d.day) for d in schedule.due(dt.datetime(2026, 5, 5, 0, 30, tzinfo=UTC),
                                                      GRACE)}
    assert late == set()


def test_yesterday_late_evening_digest_still_goes_after_midnight() -> None:
    schedule = Schedule([Subscription(3, dt.time(23, 50), "Asia/Tokyo")])
    now = dt.datetime(2026, 5, 4, 15, 20, tzinfo=UTC)  # 00:20 on the 5th in Tokyo
    assert [(d.day, d.instant) for d in schedule.due(now, GRACE)] == [
        (dt.date(2026, 5, 4), dt.datetime(2026, 5, 4, 14, 50, tzinfo=UTC))]


def test_moving_and_stopping_subscriptions() -> None:
    schedule = Schedule([Subscription(1, dt.time(8, 0), "UTC")])
    schedule.put(Subscription(1, dt.time(9, 0), "UTC"))
    at_eight = dt.datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    assert list(schedule.due(at_eight, dt.timedelta(minutes=1))) == []
    assert len(list(schedule.due(at_eight + dt.timedelta(hours=1), dt.timedelta(minutes=1)))) == 1
    schedule.put(Subscription(1, dt.time(9, 0), "UTC", active=False))
    assert len(schedule) == 0


def test_next_due_is_strictly_later() -> None:
    tz = zone_info("Europe/Berlin")
    now = dt.datetime(2026, 5, 4, 6, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert next_due(now, dt.time(8, 0), tz) == (dt.date(2026, 5, 5),
                                                 dt.datetime(2026, 5, 5, 6, 0, tzinfo=UTC))


@pytest.mark.parametrize(("text", "zone"), [
    ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"), ("UTC", "UTC"),
    ("UTC+3", "UTC+03:00"), ("utc-05:30", "UTC-05:30"), ("GMT+14", "UTC+14:00"), ("+2", "UTC+02:00"),
    ("Berlin", None), ("UTC+15", None), ("Mars/Olympus", None), ("", None),
])
def test_zones(text: str, zone: str | None) -> None:
    assert canonical_zone(text) == zone


def test_zone_offsets_and_suggestions() -> None:
    assert zone_info("UTC-05:30").utcoffset(None) == -dt.timedelta(hours=5, minutes=30)
    assert suggest_zone("new york") == "America/New_York"
    assert suggest_zone("Atlantis") is None


@pytest.mark.parametrize(("text", "time"), [
    ("07:30", dt.time(7, 30)), ("7:30", dt.time(7, 30)), ("7", dt.time(7)), ("19.05", dt.time(19, 5)),
    ("24:00", None), ("7:60", None), ("noon", None),
])
def test_times(text: str, time: dt.time | None) -> None:
    assert parse_time(text) == time
