"""Articles in, summaries out: parsing, the store, summaries and digest selection.

Synchronous and free of Telegram and scheduling, so it can be used from a script.
"""

from __future__ import annotations

from summaries.article import Article, RankedSentence, make_article_id
from summaries.errors import (
    InputError,
    NewsbotError,
    StoreError,
    StoreFormatError,
    StoreLocked,
)
from summaries.store import AddResult, Store
from summaries.summarize import summarize

__all__ = [
    "AddResult",
    "Article",
    "InputError",
    "NewsbotError",
    "RankedSentence",
    "StoreError",
    "StoreFormatError",
    "Store",
    "StoreLocked",
    "make_article_id",
    "summarize",
]
