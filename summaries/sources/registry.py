"""The list of sources and what the poller remembers about each.

Sources come from two places: the config (`[[sources]]`, fixed while the bot runs) and
admins in chat (/addfeed, kept in the store's "sources" table). Each has a state that
outlives restarts: the validators for conditional GET, the failure count and last
error, and the time before which a failing source is not polled again (backoff).

State is written only when something a restart needs changed (validators, failures,
an error, new articles), so a poll that finds nothing new writes nothing; the time of
the last check is kept in memory for /feeds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from summaries.errors import InputError
from summaries.records import Records
from summaries.sources.urls import canonical_url, is_http_url
from summaries.store import Store

DEFAULT_INTERVAL_MINUTES = 30
MAX_BACKOFF = dt.timedelta(hours=12)
FAILING_AFTER = 3  # consecutive failures before /feeds and /stats call a source failing
TABLE = "sources"


@dataclass(frozen=True, slots=True)
class Source:
    """A feed to poll. `origin` is "config" or "chat" (added by an admin)."""

    name: str
    url: str
    language: str | None = None  # ISO 639-1; detected per article when None
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES
    timezone: str = ""  # IANA name; "" keeps each entry's own offset
    enabled: bool = True
    origin: str = "config"

    @property
    def key(self) -> int:
        """The source's record key: a stable number from its canonical URL."""
        digest = hashlib.blake2b(canonical_url(self.url).encode("utf-8"), digest_size=6).digest()
        return int.from_bytes(digest, "big") + 1  # TinyDB ids start at 1

    @property
    def zone(self) -> dt.tzinfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the poller knows about a source; persisted except `last_checked`."""

    etag: str = ""
    last_modified: str = ""
    body: str = ""  # digest of the feed body the last storing poll read (hex)
    failures: int = 0  # consecutive
    last_error: str = ""
    last_error_at: dt.datetime | None = None
    last_success: dt.datetime | None = None  # last poll that stored something
    next_poll: dt.datetime | None = None  # backoff: not before this time
    last_checked: dt.datetime | None = None

    @property
    def failing(self) -> bool:
        return self.failures >= FAILING_AFTER


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A source with its state, for /feeds, /stats and `newsbot fetch`."""

    source: Source
    state: SourceState


def check_source(source: Source) -> Source:
    """The source if its values are usable, else InputError naming the bad value."""
    if not is_http_url(source.url):
        raise InputError(f"'{source.url}' is not an http(s) URL", source.name or None)
    if not source.name.strip():
        raise InputError("a source needs a name", source.url)
    if not 1 <= source.interval_minutes <= 7 * 24 * 60:
        raise InputError("interval_minutes must be from 1 to 10080", source.name)
    if source.timezone:
        try:
            ZoneInfo(source.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone '{source.timezone}'", source.name) from None
    return source


def name_from_url(url: str) -> str:
    """A short default name for a feed added by URL: its host without "www."."""
    host = (urlsplit(url).hostname or url).lower()
    return re.sub(r"^www\d?\.", "", host)


class SourceRegistry:
    """Config sources merged with chat-added ones, and their states, over `store`.

    Not thread-safe on its own: the bot calls it from its one store thread.
    """

    def __init__(self, store: Store, configured: Iterable[Source] = ()) -> None:
        self._records = Records(store.table(TABLE))
        self._configured = {source.key: check_source(source) for source in configured}
        self._checked: dict[int, dt.datetime] = {}

    def sources(self, *, include_disabled: bool = False) -> list[Source]:
        """Every source: config ones in config order, then chat-added ones by name."""
        result: list[Source] = []
        records = dict(self._records)
        for key, source in self._configured.items():
            record = records.get(key, {})
            if "enabled" in record:
                source = dataclasses.replace(source, enabled=bool(record["enabled"]))
            result.append(source)
        added = [_source(record) for key, record in records.items()
                 if key not in self._configured and record.get("origin") == "chat"]
        result += sorted(added, key=lambda s: s.name.casefold())
        return [s for s in result if s.enabled or include_disabled]

    def find(self, name_or_url: str) -> Source | None:
        """A source by name (any case) or by URL, disabled ones included."""
        wanted = name_or_url.strip()
        url = canonical_url(wanted) if is_http_url(wanted) else ""
        for source in self.sources(include_disabled=True):
            if source.name.casefold() == wanted.casefold() or canonical_url(source.url) == url:
                return source
        return None

    def add(self, url: str, name: str = "", *, language: str | None = None,
            interval_minutes: int = DEFAULT_INTERVAL_MINUTES) -> Source:
        """Add a feed from chat (or re-enable a removed one); InputError when unusable."""
        existing = self.find(url)
        if existing is not None:
            if not existing.enabled:
                self._records.update(existing.key, enabled=True)
                return dataclasses.replace(existing, enabled=True)
            raise InputError(f"already a source, named '{existing.name}'", url)
        name = name.strip() or name_from_url(url)
        taken = {s.name.casefold() for s in self.sources(include_disabled=True)}
        base, number = name, 2
        while name.casefold() in taken:
            name, number = f"{base}-{number}", number + 1
        source = check_source(Source(name=name, url=url.strip(), language=language,
                                     interval_minutes=interval_minutes, origin="chat"))
        self._records.update(source.key, **_record(source))
        return source

    def remove(self, name_or_url: str) -> Source:
        """Stop polling a source: a chat-added one is forgotten, a config one disabled
        (the config still lists it; /addfeed with its URL turns it back on)."""
        source = self.find(name_or_url)
        if source is None or not source.enabled:
            raise InputError("no such source", name_or_url)
        if source.origin == "chat":
            self._records.remove(source.key)
        else:
            self._records.update(source.key, enabled=False)
        return dataclasses.replace(source, enabled=False)

    def state(self, source: Source) -> SourceState:
        record = self._records.get(source.key) or {}
        return SourceState(
            etag=record.get("etag", ""),
            last_modified=record.get("last_modified", ""),
            body=record.get("body", ""),
            failures=int(record.get("failures", 0)),
            last_error=record.get("last_error", ""),
            last_error_at=_time(record.get("last_error_at")),
            last_success=_time(record.get("last_success")),
            next_poll=_time(record.get("next_poll")),
            last_checked=self._checked.get(source.key),
        )

    def statuses(self) -> list[SourceStatus]:
        """Every enabled source with its state (for /feeds and /stats)."""
        return [SourceStatus(source, self.state(source)) for source in self.sources()]

    def due(self, source: Source, now: dt.datetime) -> bool:
        """Whether a failing source's backoff has passed (a healthy source is always due)."""
        next_poll = self.state(source).next_poll
        return next_poll is None or now >= next_poll

    def succeeded(self, source: Source, now: dt.datetime, *, etag: str = "",
                  last_modified: str = "", stored: bool = False, body: str = "") -> None:
        """Record a successful poll; writes only when a restart would need the change.

        `body` (the digest of what a storing poll read) is kept with `last_success`, in
        the same write: after a restart an unchanged feed is then not parsed again."""
        self._checked[source.key] = now
        old = self.state(source)
        fields: dict[str, Any] = {}
        if (etag, last_modified) != (old.etag, old.last_modified):
            fields.update(etag=etag, last_modified=last_modified)
        if old.failures or old.next_poll is not None:
            fields.update(failures=0, next_poll=None)
        if stored:
            fields["last_success"] = now.isoformat()
            if body:
                fields["body"] = body
        if fields:
            self._write(source, fields)

    def failed(self, source: Source, now: dt.datetime, error: str) -> SourceState:
        """Record a failed poll and push the next one back: the interval doubled per
        consecutive failure, at most MAX_BACKOFF."""
        self._checked[source.key] = now
        failures = self.state(source).failures + 1
        delay = min(dt.timedelta(minutes=source.interval_minutes) * 2 ** min(failures - 1, 20),
                    MAX_BACKOFF)
        self._write(source, {"failures": failures, "last_error": error,
                             "last_error_at": now.isoformat(),
                             "next_poll": (now + delay).isoformat()})
        return self.state(source)

    def _write(self, source: Source, fields: dict[str, Any]) -> None:
        if source.origin == "chat" or self._records.get(source.key) is not None:
            self._records.update(source.key, **fields)
        else:  # a config source's first state: keep its name to make the file readable
            self._records.update(source.key, name=source.name, url=source.url,
                                 origin=source.origin, **fields)


def _record(source: Source) -> dict[str, Any]:
    return {"name": source.name, "url": source.url, "language": source.language,
            "interval_minutes": source.interval_minutes, "timezone": source.timezone,
            "enabled": source.enabled, "origin": source.origin}


def _source(record: dict[str, Any]) -> Source:
    return Source(name=record["name"], url=record["url"], language=record.get("language"),
                  interval_minutes=int(record.get("interval_minutes", DEFAULT_INTERVAL_MINUTES)),
                  timezone=record.get("timezone", ""), enabled=bool(record.get("enabled", True)),
                  origin="chat")


def _time(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None
