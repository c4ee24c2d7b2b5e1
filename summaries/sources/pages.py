"""Article pages: the one module that imports trafilatura (main text, title, date)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import trafilatura

from summaries.sources.errors import PageError

# Below this many words the "main text" is a cookie notice or a caption, not an article.
MIN_PAGE_WORDS = 30

# trafilatura and htmldate log every page they find hard to read at WARNING; those are
# ours to report (as a PageError), not theirs.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class Page:
    """What an article page holds: its title, main text and publication date if given."""

    url: str
    title: str
    text: str  # paragraphs separated by blank lines
    date: dt.date | None  # the page's own date (meta tags, JSON-LD, URL); None if none


def extract_page(html: str, url: str = "") -> Page:
    """Main text, title and date of an article page; PageError when it has no main text."""
    try:
        document = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False,
            include_tables=False, favor_precision=True,
        )
    except Exception as error:  # trafilatura raises assorted lxml errors on odd markup
        raise PageError(f"cannot read the page ({type(error).__name__})", url) from None
    text = (getattr(document, "text", "") or "") if document is not None else ""
    title = " ".join((getattr(document, "title", "") or "").split()) if document is not None else ""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = [line for line in lines if line]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # trafilatura repeats the <h1> as the first line
    body = "\n\n".join(paragraphs)
    if len(body.split()) < MIN_PAGE_WORDS:
        raise PageError("no main text found on the page", url)
    raw_date = getattr(document, "date", None) if document is not None else None
    return Page(url=url, title=title, text=body, date=_date(raw_date))


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
