"""Reading RSS 0.9x/1.0/2.0 and Atom feeds: the one module that imports feedparser.

An entry becomes a `FeedEntry` with its GUID, canonical link, title, publication time
in the source's time zone and its text, marked as a teaser when it is too short to be
the article (the poller then fetches the page). feedparser is lenient by design; we are
not: XML that is not well-formed is a `FeedError`, so a half-read feed is never taken
for the whole feed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re
import xml.sax
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import feedparser

from summaries.sources.errors import FeedError
from summaries.sources.urls import canonical_url

# Fewer words than this and the entry is a teaser, not the article: a news story of
# even three short paragraphs runs past 120 words; feed summaries rarely do.
TEASER_WORDS = 120
_ELLIPSIS = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\]|read more\.?|continue reading\.?)\s*$", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "article", "section", "tr", "pre"}
_SKIP_TAGS = {"script", "style", "noscript", "template"}


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed entry, before any page is fetched."""

    guid: str  # the entry's id, or its link when it has none
    url: str  # canonical (see urls.py); "" when the entry has no link
    title: str
    published: dt.datetime | None  # aware; None when the entry carries no date
    text: str  # plain text, paragraphs separated by blank lines
    teaser: bool  # too short to be the article: fetch `url` for the text


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its own title and link, and its entries in feed order."""

    title: str
    link: str
    entries: list[FeedEntry]


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """A cheap guess whether a response is a feed rather than a page (for `ingest URL`)."""
    if any(kind in content_type for kind in ("rss", "atom", "rdf")):
        return True
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return False
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def parse_feed(body: bytes, *, url: str = "", content_type: str = "", charset: str = "",
               zone: dt.tzinfo | None = None) -> Feed:
    """Parse a feed's bytes; FeedError for HTML, malformed XML or anything not a feed.

    `zone`, when given, is the source's own time zone: every date is converted to it
    (a feed may write UTC while its paper's day follows Tokyo). Without it, each date
    keeps the offset the feed wrote.
    """
    header = f"{content_type}; charset={charset}" if charset else content_type
    parsed = feedparser.parse(body, response_headers={"content-type": header or "application/xml"})
    head = body[:2048].lower()
    if not parsed.get("version"):
        # Checked before well-formedness: HTML is rarely well-formed XML, and "malformed
        # XML" would hide that the URL is a page, not a feed.
        if b"<html" in head or b"<!doctype html" in head or "html" in content_type:
            raise FeedError("an HTML page, not a feed", url)
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise FeedError("not an RSS or Atom feed (not XML)", url)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXException):
        raise FeedError(f"malformed XML ({_sax_reason(problem)})", url)
    if not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed", url)
    info = parsed.get("feed", {})
    entries = [_entry(raw, zone) for raw in parsed.get("entries", [])]
    return Feed(title=_clean_line(info.get("title", "")), link=info.get("link", ""),
                entries=[entry for entry in entries if entry is not None])


def _sax_reason(problem: xml.sax.SAXException) -> str:
    if isinstance(problem, xml.sax.SAXParseException):
        return f"line {problem.getLineNumber()}: {problem.getMessage()}"
    return problem.getMessage()


def _entry(raw: Any, zone: dt.tzinfo | None) -> FeedEntry | None:
    link = canonical_url(raw.get("link", "") or "")
    guid = (raw.get("id", "") or "").strip() or link
    title = _clean_line(raw.get("title", ""))
    contents = [html_to_text(part.get("value", "")) for part in raw.get("content", []) or []]
    summary = html_to_text(raw.get("summary", "") or "")
    text = max(contents + [summary], key=len)
    if not guid and not text:
        return None  # nothing to tell it apart from the next entry, nothing to read
    teaser = len(text.split()) < TEASER_WORDS or bool(_ELLIPSIS.search(text))
    return FeedEntry(guid=guid, url=link, title=title, published=_published(raw, zone),
                     text=text, teaser=teaser and bool(link))


def _published(raw: Any, zone: dt.tzinfo | None) -> dt.datetime | None:
    """The entry's date with the offset it was written with (feedparser's own parsed
    times are in UTC, which would move a late-evening story to the next day)."""
    for key in ("published", "updated", "created"):
        value = (raw.get(key) or "").strip()
        if not value:
            continue
        when = _parse_time(value)
        if when is None:
            parsed = raw.get(f"{key}_parsed")
            if parsed is None:
                continue
            when = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc)
        return when.astimezone(zone) if zone is not None else when
    return None


def _parse_time(value: str) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


def _clean_line(text: str) -> str:
    return " ".join(html_to_text(text).split())


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(self._skipping - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (entry content): paragraphs kept, tags dropped."""
    if "<" not in markup and "&" not in markup:
        return "\n\n".join(" ".join(p.split()) for p in markup.split("\n\n") if p.strip())
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    paragraphs = (" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)
