from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from summaries.sources import FeedError
from summaries.sources.feeds import html_to_text, looks_like_feed, parse_feed
from tests.fakes.newssite import _FEEDS, Entry, NewsSite
from tests.summaries.sources.conftest import article_text


def _body(kind: str, entries: list[Entry]) -> bytes:
    with NewsSite() as site:  # only its URL builder is used
        return _FEEDS[kind](site, "News", entries).encode()


@pytest.mark.parametrize("kind", ["rss", "rss091", "rdf", "atom"])
def test_every_feed_format(kind: str) -> None:
    published = "2026-02-25T09:30:00+03:00" if kind in ("atom", "rdf") else None
    entry = Entry("id-1", "/news/1?utm_source=rss", "Ferries resume", text=article_text("ferry"),
                  **({"published": published} if published else {}))
    feed = parse_feed(_body(kind, [entry]))
    [parsed] = feed.entries
    assert parsed.title == "Ferries resume"
    assert parsed.url.endswith("/news/1")  # canonical: no utm_source
    assert not parsed.teaser and "harbour city" in parsed.text
    if kind != "rss091":  # RSS 0.91 items have no date
        assert parsed.published == dt.datetime(2026, 2, 25, 9, 30,
                                               tzinfo=dt.timezone(dt.timedelta(hours=3)))


def test_teaser_and_guid_fallback() -> None:
    entry = Entry("", "/news/2", "Short", summary="The council met. Read more...")
    [parsed] = parse_feed(_body("rss", [entry])).entries
    assert parsed.teaser and parsed.text == "The council met. Read more..."


def test_dates_keep_the_source_zone() -> None:
    late = Entry("1", "/n/1", "Late", text=article_text("x"),
                 published="Wed, 25 Feb 2026 22:30:00 +0000")
    [utc] = parse_feed(_body("rss", [late])).entries
    [tokyo] = parse_feed(_body("rss", [late]), zone=ZoneInfo("Asia/Tokyo")).entries
    assert utc.published is not None and utc.published.date() == dt.date(2026, 2, 25)
    assert tokyo.published is not None and tokyo.published.date() == dt.date(2026, 2, 26)


def test_entries_without_dates() -> None:
    [entry] = parse_feed(_body("rss", [Entry("1", "/n/1", "T", text="x", published=None)])).entries
    assert entry.published is None


def test_bad_feeds_are_clear_errors() -> None:
    good = _body("rss", [Entry("1", "/n/1", "T", text="x")])
    with pytest.raises(FeedError, match=r"malformed XML \(line 1"):
        parse_feed(good[: len(good) // 2] + b"</oops>")
    with pytest.raises(FeedError, match="an HTML page, not a feed"):
        parse_feed(b"<!DOCTYPE html><html><body><p>Hello</p></body></html>",
                   content_type="text/html")
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(b"{\"json\": true}")
    with pytest.raises(FeedError, match="an HTML page"):
        parse_feed(b"<html><body><p>Hello<br></p></body></html>")


def test_non_utf8_feed() -> None:
    body = _body("rss", [Entry("1", "/n/1", "Новости", text="Текст")]).replace(
        b'encoding="utf-8"', b'encoding="windows-1251"')
    body = body.decode().encode("windows-1251")
    [entry] = parse_feed(body, content_type="application/rss+xml").entries
    assert entry.title == "Новости" and entry.text == "Текст"


def test_looks_like_feed_and_html_to_text() -> None:
    assert looks_like_feed(b"<?xml version='1.0'?><rss version='2.0'>")
    assert looks_like_feed(b"", "application/atom+xml")
    assert not looks_like_feed(b"<!doctype html><html>", "text/html")
    assert html_to_text("<p>One &amp; two</p><script>x()</script><p>Three</p>") == "One & two\n\nThree"
