"""Inline buttons and the callback data behind them.

Callback data is at most 64 bytes and comes back from anyone who can press — or forge —
a button, so it is a short versioned string parsed strictly: anything that does not
parse is a stale or forged press and gets a polite answer, never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

VERSION = "1"
MAX_CALLBACK_BYTES = 64

_ID = r"\d{8}-[0-9a-f]{10}"
_PATTERNS = {
    "a": re.compile(rf"1:a:({_ID}):([1-5])"),  # an article at a summary length
    "o": re.compile(rf"1:o:({_ID})"),  # open an article from a list
    "f": re.compile(rf"1:f:({_ID})"),  # an article's full text
    "d": re.compile(r"1:d:(\d{8}):(\d{1,4})"),  # a day's list, page n
    "l": re.compile(r"1:l:(\d{1,4})"),  # the latest articles, page n
    "s": re.compile(r"1:s:([0-9a-f]{8}):(\d{1,4})"),  # search results, page n, query tag
    "n": re.compile(r"1:n:([1-5])"),  # settings: summary length
    "c": re.compile(r"1:c:(\d{1,2})"),  # settings: articles per digest
    "h": re.compile(r"1:h:(latest|today|search|settings|help)"),  # /start shortcuts
}

Kind = Literal["a", "o", "f", "d", "l", "s", "n", "c", "h"]


@dataclass(frozen=True, slots=True)
class Press:
    """A parsed button press."""

    kind: Kind
    args: tuple[str, ...]


def parse(data: str | None) -> Press | None:
    """The press behind `data`, or None for stale, foreign or forged data."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    parts = data.split(":", 2)
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in _PATTERNS:
        return None
    match = _PATTERNS[parts[1]].fullmatch(data)
    if match is None:
        return None
    if parts[1] == "d":
        try:
            dt.datetime.strptime(match.group(1), "%Y%m%d")
        except ValueError:
            return None
    return Press(parts[1], match.groups())  # type: ignore[arg-type]


def data(kind: Kind, *args: object) -> str:
    value = ":".join([VERSION, kind, *(str(a) for a in args)])
    assert parse(value) is not None, value  # a button we cannot read back is a bug here
    return value


def button(text: str, kind: Kind, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data(kind, *args))


def article_buttons(article_id: str, sentences: int, has_full_text: bool = True) -> InlineKeyboardMarkup:
    """Shorter / longer in place, and the full text."""
    row = []
    if sentences > 1:
        row.append(button("− Shorter", "a", article_id, sentences - 1))
    if sentences < 5:
        row.append(button("+ Longer", "a", article_id, sentences + 1))
    rows = [row] if row else []
    if has_full_text:
        rows.append([button("Full text", "f", article_id)])
    return InlineKeyboardMarkup(rows)


def list_buttons(kind: Kind, key: tuple[object, ...], page: int, pages: int,
                 ids: list[str], first_number: int) -> InlineKeyboardMarkup:
    """Numbers that open the listed articles, then previous / next page."""
    rows = [[button(str(n), "o", article_id)
             for n, article_id in enumerate(ids, start=first_number)]]
    nav = []
    if page > 0:
        nav.append(button("‹ Previous", kind, *key, page - 1))
    if page + 1 < pages:
        nav.append(button("Next ›", kind, *key, page + 1))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def date_buttons(days: list[dt.date]) -> InlineKeyboardMarkup:
    """One button per nearby day that has articles."""
    return InlineKeyboardMarkup(
        [[button(f"{day:%d %b %Y}", "d", f"{day:%Y%m%d}", 0) for day in days]]
    )


DIGEST_SIZES = (3, 5, 7, 10)


def settings_buttons(sentences: int, articles: int) -> InlineKeyboardMarkup:
    """Summary length in sentences, then articles per digest; the current ones marked."""
    def mark(value: int, current: int) -> str:
        return f"• {value} •" if value == current else str(value)

    return InlineKeyboardMarkup([
        [button(mark(n, sentences), "n", n) for n in range(1, 6)],
        [button(mark(n, articles), "c", n) for n in DIGEST_SIZES],
    ])


def start_buttons() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [button("Latest news", "h", "latest"), button("Today", "h", "today")],
        [button("How to search", "h", "search"), button("Summary length", "h", "settings")],
    ])
