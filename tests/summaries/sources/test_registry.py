from __future__ import annotations

import datetime as dt

import pytest

from summaries.errors import InputError
from summaries.sources import Source, SourceRegistry, export_opml, import_opml
from summaries.store import Store

NOW = dt.datetime(2026, 2, 25, 12, 0, tzinfo=dt.timezone.utc)
CONFIGURED = [Source("Wire", "https://wire.example/rss", language="en", interval_minutes=15)]


def test_config_and_chat_sources_merge_and_persist(store: Store) -> None:
    registry = SourceRegistry(store, CONFIGURED)
    added = registry.add("https://www.daily.example/feed.xml")
    assert (added.name, added.origin) == ("daily.example", "chat")
    assert registry.add("https://other.example/daily.example", "daily.example").name == "daily.example-2"
    with pytest.raises(InputError, match="already a source, named 'Wire'"):
        registry.add("https://WIRE.example/rss?utm_source=x")
    with pytest.raises(InputError, match="not an http"):
        registry.add("ftp://x.example/feed")
    again = SourceRegistry(store, CONFIGURED)
    assert [s.name for s in again.sources()] == ["Wire", "daily.example", "daily.example-2"]
    assert again.remove("DAILY.example").origin == "chat"
    assert again.remove("Wire").enabled is False  # a config source is disabled, not deleted
    assert [s.name for s in SourceRegistry(store, CONFIGURED).sources()] == ["daily.example-2"]
    assert again.add("https://wire.example/rss").enabled  # and comes back by its URL
    with pytest.raises(InputError, match="no such source"):
        again.remove("nothing")


def test_failures_back_off_and_success_clears_them(store: Store) -> None:
    registry = SourceRegistry(store, CONFIGURED)
    [wire] = registry.sources()
    for n in range(3):
        state = registry.failed(wire, NOW, "HTTP 500")
    assert state.failing and state.failures == 3
    assert state.next_poll == NOW + dt.timedelta(minutes=60)
    assert not registry.due(wire, NOW) and registry.due(wire, NOW + dt.timedelta(hours=1))
    [status] = SourceRegistry(store, CONFIGURED).statuses()  # persisted
    assert (status.state.last_error, status.state.failures) == ("HTTP 500", 3)
    registry.succeeded(wire, NOW, etag='"e"', stored=True)
    state = registry.state(wire)
    assert (state.failures, state.next_poll, state.etag, state.last_success) == (0, None, '"e"', NOW)
    assert state.last_error == "HTTP 500"  # kept for /feeds, with its time


def test_backoff_is_capped(store: Store) -> None:
    registry = SourceRegistry(store, CONFIGURED)
    for _ in range(30):
        state = registry.failed(CONFIGURED[0], NOW, "down")
    assert state.next_poll == NOW + dt.timedelta(hours=12)


def test_opml_round_trip() -> None:
    sources = [Source("Wire & Co", "https://wire.example/rss?a=1&b=2", language="en",
                      interval_minutes=15, timezone="Europe/Berlin"),
               Source("Daily", "https://daily.example/atom")]
    data = export_opml(sources)
    assert b'xmlUrl="https://wire.example/rss?a=1&amp;b=2"' in data
    back = import_opml(data)
    assert [(s.name, s.url, s.language, s.interval_minutes, s.timezone) for s in back] == [
        ("Wire & Co", "https://wire.example/rss?a=1&b=2", "en", 15, "Europe/Berlin"),
        ("Daily", "https://daily.example/atom", None, 30, "")]


def test_opml_from_another_reader_and_bad_files() -> None:
    other = b"""<?xml version="1.0"?><opml version="1.0"><body>
      <outline text="News"><outline text="BBC" type="rss" xmlUrl="http://feeds.bbci.co.uk/news/rss.xml"/>
      <outline text="A page, not a feed" htmlUrl="https://example.com"/></outline></body></opml>"""
    assert [(s.name, s.url) for s in import_opml(other)] == [("BBC", "http://feeds.bbci.co.uk/news/rss.xml")]
    with pytest.raises(InputError, match="not valid XML"):
        import_opml(b"<opml><body>")
    with pytest.raises(InputError, match="not an OPML file"):
        import_opml(b"<rss/>")
