"""Choosing a reader's digest: what is new in a window, what they asked for, best first.

Pure selection over articles; the bot decides when and for whom. The same story from
several sources is one entry that names the others; stories carried by more sources
rank higher, then newer ones.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summaries.article import Article

_WORD = re.compile(r"\w+")
LOOK_BACK_DAYS = 2  # articles dated this long before the window still count when ingested in it


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One entry of a digest: the article shown and the other sources of its story."""

    article: Article
    also: tuple[str, ...] = ()


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@functools.lru_cache(maxsize=4096)
def _tokens(article: Article) -> list[str]:
    # A fan-out checks the same articles against every reader's keywords: read each once.
    return words(f"{article.title} {article.text}")


def _contains(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether the words of `phrase` occur in `tokens` one after another."""
    if not phrase:
        return False
    first, size = phrase[0], len(phrase)
    return any(tokens[i : i + size] == list(phrase)
               for i, token in enumerate(tokens) if token == first)


def wanted(article: Article, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Keywords match whole words ("art" is not in "party"), phrases word by word."""
    if not include and not exclude:
        return True  # most readers set no keywords: no need to read the text
    tokens = _tokens(article)
    if any(_contains(tokens, words(k)) for k in exclude):
        return False
    return not include or any(_contains(tokens, words(k)) for k in include)


def window_days(since: dt.datetime, until: dt.datetime) -> list[dt.date]:
    """The archive days whose articles may have been ingested between `since` and `until`."""
    first = since.date() - dt.timedelta(days=LOOK_BACK_DAYS)
    return [first + dt.timedelta(days=n) for n in range((until.date() - first).days + 2)]


def in_window(article: Article, since: dt.datetime, until: dt.datetime) -> bool:
    return since < article.ingested <= until


def _story(article: Article) -> str:
    # A story is named by its first article's id; that article itself has no link.
    return article.story or article.id


def select(articles: Iterable[Article], *, count: int, include: Sequence[str] = (),
           exclude: Sequence[str] = ()) -> list[DigestItem]:
    """The `count` most important stories among `articles` that the reader wants."""
    stories: dict[str, list[Article]] = {}
    for article in articles:
        if wanted(article, include, exclude):
            stories.setdefault(_story(article), []).append(article)
    ranked = sorted(
        stories.values(),
        key=lambda group: (len({a.source for a in group}), max(a.ingested for a in group),
                           max(a.date for a in group)),
        reverse=True,
    )
    items = []
    for group in ranked[: max(count, 0)]:
        group.sort(key=lambda a: a.ingested)
        shown = group[0]
        others = tuple(dict.fromkeys(a.source for a in group[1:] if a.source and a.source != shown.source))
        items.append(DigestItem(shown, others))
    return items
