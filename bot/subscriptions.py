"""Who gets a digest, when, and how: parsing readers' times and zones, and the records.

A subscription lives in the store's "subscriptions" table keyed by chat id; the bot keeps
all of them in memory (100,000 fit in a few tens of MB) and writes through on change.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from dataclasses import dataclass, field, replace
from typing import Any

ZONE_EXAMPLES = "Europe/Berlin, America/New_York, Asia/Tokyo, or an offset like UTC+3 or UTC-05:30"
TIME_EXAMPLES = "07:30, 7:30 or 19:05"

_TIME = re.compile(r"(\d{1,2})[:.h](\d{2})|(\d{1,2})")
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def parse_time(text: str) -> dt.time | None:
    """A wall-clock time like 07:30, 7.30 or 7 (on the hour); None when it is not one."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None
    hour = int(match.group(1) or match.group(3))
    minute = int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


@functools.cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def canonical_zone(text: str) -> str | None:
    """The stored spelling of a zone: an IANA name, "UTC", or "UTC+05:30"; None if unknown."""
    text = text.strip()
    if text.casefold() in ("utc", "gmt", "z"):
        return "UTC"
    offset = _OFFSET.fullmatch(text)
    if offset and (text[:1] in "+-" or text[:3].casefold() in ("utc", "gmt")):
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59 or (hours == 14 and minutes):
            return None
        return f"UTC{sign}{hours:02d}:{minutes:02d}"
    return _zones_by_folded_name().get(text.casefold())


def suggest_zone(text: str) -> str | None:
    """An IANA name whose city is `text` ("berlin" -> "Europe/Berlin"), for a helpful reply."""
    city = text.strip().casefold().replace(" ", "_")
    for folded, name in _zones_by_folded_name().items():
        if folded.rsplit("/", 1)[-1] == city:
            return name
    return None


def time_problem(text: str) -> str:
    """The reply to a time that is not one."""
    return f"'{text}' is not a time. Use {TIME_EXAMPLES}."


def zone_problem(text: str) -> str:
    """The reply to an unknown zone, with the IANA name the reader probably meant."""
    hint = suggest_zone(text)
    tip = f" Did you mean {hint}?" if hint else ""
    return f"Unknown time zone '{text}'.{tip} Use {ZONE_EXAMPLES}."


@functools.cache
def zone_info(zone: str) -> dt.tzinfo:
    """The tzinfo of a stored zone spelling (see `canonical_zone`)."""
    if zone.startswith("UTC") and len(zone) > 3:
        sign = -1 if zone[3] == "-" else 1
        hours, minutes = int(zone[4:6]), int(zone[7:9])
        return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes), zone)
    if zone == "UTC":
        return dt.timezone.utc
    return zoneinfo.ZoneInfo(zone)


def _words(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values) if isinstance(values, list | tuple) else ()


@dataclass(frozen=True, slots=True)
class Subscription:
    """One chat's digest: when, where in the world, and what it wants to read."""

    chat_id: int
    at: dt.time
    zone: str
    is_group: bool = False
    active: bool = True
    count: int = 5
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    quiet: bool = False  # when nothing is new: send nothing instead of a short note
    last_until: dt.datetime | None = None  # the end of the window of the last digest sent
    start: dt.datetime | None = None  # set with the time: no digest due before it (no catch-up)
    stopped: str = ""  # why deliveries stopped (the bot was blocked, kicked...)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def tz(self) -> dt.tzinfo:
        return zone_info(self.zone)

    def to_record(self) -> dict[str, Any]:
        """The stored form; fields at their defaults are left out (100,000 records load
        twice as fast), so a record of an older version with fewer fields still reads."""
        record: dict[str, Any] = {"at": self.at.strftime("%H:%M"), "zone": self.zone}
        for name, default in _DEFAULTS.items():
            value = getattr(self, name)
            if value != default:
                record[name] = list(value) if isinstance(value, tuple) else value
        if self.last_until is not None:
            record["last_until"] = self.last_until.isoformat()
        if self.start is not None:
            record["start"] = self.start.isoformat()
        return record

    @classmethod
    def from_record(cls, chat_id: int, record: dict[str, Any]) -> Subscription:
        last, start = record.get("last_until"), record.get("start")
        return cls(
            chat_id=chat_id,
            at=_time(record["at"]),
            zone=str(record["zone"]),
            is_group=bool(record.get("is_group", False)),
            active=bool(record.get("active", True)),
            count=int(record.get("count", 5)),
            include=_words(record.get("include")),
            exclude=_words(record.get("exclude")),
            quiet=bool(record.get("quiet", False)),
            last_until=dt.datetime.fromisoformat(last) if last else None,
            start=dt.datetime.fromisoformat(start) if start else None,
            stopped=str(record.get("stopped", "")),
        )

    def with_changes(self, **changes: Any) -> Subscription:
        return replace(self, **changes)


_DEFAULTS = {"is_group": False, "active": True, "count": 5, "include": (), "exclude": (),
             "quiet": False, "stopped": ""}


@functools.lru_cache(maxsize=2048)
def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)  # a few hundred distinct values among all readers
