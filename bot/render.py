"""Telegram HTML for articles and lists, split into messages Telegram accepts.

Telegram counts a message's length in UTF-16 code units after parsing its HTML, and
rejects a whole message for one unescaped `<` or a tag cut in half. So every message
is built from segments — plain text plus the tag that wraps it — and split between
segments or inside a segment's plain text, never inside a tag; all text is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summaries.article import Article, Headline
from summaries.digest import DigestItem

MAX_MESSAGE_UNITS = 4096
LEAD_CHARS = 160  # the one-line summary shown beside a title in a list

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")


def utf16_units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji can count two)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Text safe inside Telegram HTML: `&`, `<`, `>` and quotes become entities."""
    return html.escape(text, quote=True)


@dataclass(frozen=True, slots=True)
class Segment:
    """Plain text and the HTML tag around it; `tag` is "" for plain text."""

    text: str
    tag: str = ""  # "b", "i", "code" or 'a href="..."'
    gap: str = "\n\n"  # what separates it from the segment before

    def html(self, text: str | None = None) -> str:
        body = escape(self.text if text is None else text)
        if not self.tag:
            return body
        return f"<{self.tag}>{body}</{self.tag.split()[0]}>"


def link(text: str, url: str, gap: str = "\n\n") -> Segment:
    return Segment(text, f'a href="{escape(url)}"', gap)


def _prefix_within(text: str, units: int) -> int:
    """How many characters of `text` fit in `units` UTF-16 units."""
    encoded = text.encode("utf-16-le")[: units * 2]
    cut = encoded.decode("utf-16-le", errors="ignore")  # drops half a surrogate pair
    return len(cut)


def _take(text: str, room: int, whole: bool) -> tuple[str, str]:
    """The longest head of `text` within `room` units, cut at a sentence, else a word.

    Only a message with nothing else in it (`whole`) cuts a word in two: a page of
    one unbroken 5,000-character token has no better place.
    """
    if utf16_units(text) <= room:
        return text, ""
    fits = _prefix_within(text, room)
    for pattern in (_SENTENCE_BREAK, re.compile(r"\s+")):
        cuts = [m for m in pattern.finditer(text, 0, fits + 1) if 0 < m.start() <= fits]
        if cuts:
            return text[: cuts[-1].start()], text[cuts[-1].end() :]
    if whole:
        return text[:fits], text[fits:]
    return "", text


def to_messages(segments: Iterable[Segment], limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """HTML messages of at most `limit` visible UTF-16 units, never split inside a tag."""
    messages: list[str] = []
    parts: list[str] = []
    used = 0
    for segment in segments:
        text, gap = segment.text, segment.gap
        while True:
            gap_units = utf16_units(gap) if parts else 0
            head, rest = _take(text, limit - used - gap_units, whole=not parts)
            if head or not text:
                parts.append((gap if parts else "") + segment.html(head))
                used += gap_units + utf16_units(head)
            if not rest:
                break
            messages.append("".join(parts))
            parts, used, text, gap = [], 0, rest, ""
    if parts:
        messages.append("".join(parts))
    return messages


def byline(article: Article) -> str:
    """Place, source and date on one line, e.g. "BAKU, Azerbaijan · Trend · 25 Feb 2026"."""
    return " · ".join(x for x in (article.place, article.source, f"{article.date:%d %b %Y}") if x)


def article_card(article: Article, sentences: int, others: Sequence[Article] = ()) -> list[Segment]:
    """An article as the reader sees it: title, byline, summary, other sources, link, id."""
    segments = [
        Segment(article.title, "b", gap=""),
        Segment(byline(article), "i", gap="\n"),
        Segment(" ".join(article.summary(sentences))),
    ]
    sources = list(dict.fromkeys(o.source for o in others if o.source and o.source != article.source))
    if sources:
        segments.append(Segment("Also reported by " + ", ".join(sources), "i"))
    if article.url:
        segments.append(link("Read the full article", article.url))
    segments.append(Segment(f"/article {article.id}", gap="\n\n" if not article.url else "\n"))
    return segments


def full_text(article: Article) -> list[Segment]:
    """The whole article, paragraph by paragraph, under its title."""
    segments = [Segment(article.title, "b", gap=""), Segment(byline(article), "i", gap="\n")]
    segments.extend(Segment(p) for p in article.text.split("\n\n") if p.strip())
    return segments


def lead(article: Article | Headline) -> str:
    """The best sentence that is not already the title (titles are often cut from the lead)."""
    stem = article.title.rstrip("…").rstrip()
    best = next((s.text for s in article.ranked if not s.text.startswith(stem)), "")
    if len(best) <= LEAD_CHARS:
        return best
    return best[:LEAD_CHARS].rsplit(" ", 1)[0] + "…"


def article_list(heading: str, articles: Sequence[Article | Headline], first_number: int,
                 footer: str = "") -> list[Segment]:
    """A numbered page of titles, each with its lead; the buttons open them by number."""
    segments = [Segment(heading, "b", gap="")]
    for number, article in enumerate(articles, start=first_number):
        segments.append(Segment(f"{number}. ", gap="\n\n"))
        segments.append(Segment(article.title, "b", gap=""))
        segments.append(Segment(f" — {lead(article)}" if lead(article) else "", gap=""))
    if footer:
        segments.append(Segment(footer, "i"))
    return segments


def digest(day: dt.date, items: Sequence[DigestItem], sentences: int) -> list[Segment]:
    """A reader's digest: each story once, with its summary, link and other sources."""
    segments = [Segment(f"Your news for {day:%A, %d %B %Y}", "b", gap="")]
    for number, item in enumerate(items, start=1):
        article = item.article
        segments.append(Segment(f"{number}. ", gap="\n\n"))
        segments.append(Segment(article.title, "b", gap=""))
        segments.append(Segment(" ".join(article.summary(sentences)), gap="\n"))
        if item.also:
            segments.append(Segment("Also reported by " + ", ".join(item.also), "i", gap="\n"))
        if article.url:
            segments.append(link("Read the full article", article.url, gap="\n"))
        segments.append(Segment(f"/article {article.id}", gap="\n"))
    return segments
