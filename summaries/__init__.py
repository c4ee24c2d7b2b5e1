"""Articles in, summaries out: parsing, the store, summaries and digest selection.

Synchronous and free of Telegram and scheduling, so it can be used from a script.
"""

from __future__ import annotations

from summaries.article import Article, RankedSentence, make_article_id
from summaries.errors import InputError, NewsbotError, StoreError, StoreFormatError, StoreLocked

__all__ = [
    "Article",
    "InputError",
    "NewsbotError",
    "RankedSentence",
    "StoreError",
    "StoreFormatError",
    "StoreLocked",
    "make_article_id",
]
