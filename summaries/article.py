"""The article record: what is stored, and how a summary of any length is served from it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from itertools import starmap
from typing import Any, NamedTuple

# Summaries are ranked once at ingest; this many ranked sentences are kept, so every
# length the bot offers (1 to MAX_SUMMARY_SENTENCES) is served without recomputing.
MAX_SUMMARY_SENTENCES = 5

_SPACE = re.compile(r"\s+")


class RankedSentence(NamedTuple):
    """A summary sentence: its position in the article's sentence list and its text.

    A named tuple, not a dataclass: a day's lookup builds hundreds of them, and a tuple
    is made in a third of the time (measured in `by_date` at 137 articles a day).
    """

    position: int
    text: str


def make_article_id(date: dt.date, text: str, url: str = "") -> str:
    """A stable id: the date, then a hash of the URL when known, else of the text.

    The date prefix lets the store find an article's partition from its id alone; the
    hash ignores case and whitespace so a re-wrapped copy of a text is the same article.
    """
    key = url.strip() or _SPACE.sub(" ", text).strip().casefold()
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=5).hexdigest()
    return f"{date:%Y%m%d}-{digest}"


_ID = re.compile(r"(\d{4})(\d{2})(\d{2})-[0-9a-f]{10}", re.ASCII)


def article_date_from_id(article_id: str) -> dt.date | None:
    """The date encoded in an id, or None when the id is not one of ours."""
    match = _ID.fullmatch(article_id)
    if not match:
        return None
    try:  # not strptime: 30 µs a call, and every lookup by id starts here
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _ranked(position: object, text: object) -> RankedSentence:
    if type(position) is not int or type(text) is not str:  # a damaged record
        raise ValueError(f"bad ranked sentence {position!r}, {text!r}")
    return RankedSentence(position, text)


@dataclass(frozen=True, slots=True)
class Article:
    """One stored news article with its precomputed summary ranking."""

    id: str
    date: dt.date
    title: str
    text: str
    language: str  # ISO 639-1 code, e.g. "en"
    ranked: tuple[RankedSentence, ...]  # most important first, at most MAX_SUMMARY_SENTENCES
    place: str = ""  # the dateline, e.g. "BAKU, Azerbaijan"
    source: str = ""
    url: str = ""
    ingested: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    # The id of the first article of the same story from other sources ("" when it is
    # the first or has none); see summaries/sources/stories.py and Store.story.
    story: str = ""

    def summary(self, sentences: int = 3) -> list[str]:
        """The `sentences` best-ranked sentences, in article order."""
        return summary_of(self.ranked, sentences)

    def headline(self) -> Headline:
        """The article without its body, as lists show it."""
        return Headline(self.id, self.date, self.title, self.language, self.ranked,
                        self.place, self.source, self.url, self.ingested, self.story)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; `from_dict` reverses it."""
        data: dict[str, Any] = {
            "id": self.id,
            "date": self.date.isoformat(),
            "title": self.title,
            "text": self.text,
            "language": self.language,
            "ranked": [[s.position, s.text] for s in self.ranked],
            "place": self.place,
            "source": self.source,
            "url": self.url,
            "ingested": self.ingested.isoformat(),
        }
        if self.story:  # absent rather than "" keeps older records and files alike
            data["story"] = self.story
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an article from `to_dict` output."""
        return cls(
            id=data["id"],
            date=dt.date.fromisoformat(data["date"]),
            title=data["title"],
            text=data["text"],
            language=data["language"],
            ranked=tuple([_ranked(p, t) for p, t in data["ranked"]]),
            place=data.get("place", ""),
            source=data.get("source", ""),
            url=data.get("url", ""),
            ingested=dt.datetime.fromisoformat(data["ingested"]),
            story=data.get("story", ""),
        )


def summary_of(ranked: tuple[RankedSentence, ...], sentences: int) -> list[str]:
    chosen = sorted(ranked[: max(sentences, 0)], key=lambda s: s.position)
    return [s.text for s in chosen]


class Headline(NamedTuple):
    """An article without its body: what a day's list shows, a fifth of the bytes to read.

    A separate type, not an Article with an empty text, so nothing can search or show a
    body that was never loaded. A named tuple: a day's list builds a hundred and more of
    them per lookup, and a tuple is built in a fraction of a frozen dataclass's time.
    """

    id: str
    date: dt.date
    title: str
    language: str
    ranked: tuple[RankedSentence, ...]
    place: str
    source: str
    url: str
    ingested: dt.datetime
    story: str = ""

    def summary(self, sentences: int = 3) -> list[str]:
        """The `sentences` best-ranked sentences, in article order."""
        return summary_of(self.ranked, sentences)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "date": self.date.isoformat(), "title": self.title,
            "language": self.language, "ranked": [[s.position, s.text] for s in self.ranked],
            "place": self.place, "source": self.source, "url": self.url,
            "ingested": self.ingested.isoformat(),
        }
        if self.story:
            data["story"] = self.story
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], day: dt.date | None = None) -> Headline:
        """Rebuild from `to_dict` output; `day` saves parsing a date a chunk shares."""
        return cls(
            data["id"], day or dt.date.fromisoformat(data["date"]), data["title"],
            data["language"], tuple(starmap(RankedSentence, data["ranked"])),
            data.get("place", ""), data.get("source", ""), data.get("url", ""),
            dt.datetime.fromisoformat(data["ingested"]), data.get("story", ""),
        )
