from __future__ import annotations

import datetime as dt

from summaries.article import Article, RankedSentence
from summaries.digest import in_window, select, wanted, window_days

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def art(n: int, title: str, text: str = "", source: str = "Wire", minutes: int = 0,
        story: int = 0) -> Article:
    body = text or f"{title}. More about it."
    return Article(id=f"20260504-{n:010x}", date=dt.date(2026, 5, 4), title=title, text=body,
                   language="en", ranked=(RankedSentence(0, body),), source=source,
                   ingested=T0 + dt.timedelta(minutes=minutes),
                   story=f"20260504-{story:010x}" if story else "")


def test_keywords_match_whole_words_and_phrases() -> None:
    party = art(1, "Garden party tonight", "A party in the garden.")
    show = art(2, "Modern art show opens", "The art show opens at the harbor bridge.")
    assert not wanted(party, include=["art"], exclude=[])
    assert wanted(show, include=["ART"], exclude=[])
    assert wanted(show, include=["harbor bridge"], exclude=[])
    assert not wanted(show, include=["bridge harbor"], exclude=[])
    assert not wanted(show, include=[], exclude=["art"])
    assert wanted(party, include=[], exclude=["art"])


def test_one_entry_per_story_most_sources_first() -> None:
    articles = [
        art(1, "Ferry strike ends", source="A", minutes=1),
        art(2, "Ferry strike is over", source="B", minutes=5, story=1),
        art(3, "Ferries run again", source="C", minutes=7, story=1),
        art(4, "Library reopens", source="A", minutes=30),
        art(5, "Council meets", source="D", minutes=20),
    ]
    items = select(articles, count=2)
    assert [i.article.id for i in items] == [articles[0].id, articles[3].id]
    assert items[0].also == ("B", "C")
    assert select(articles, count=5, exclude=["ferry"])[0].article.title == "Library reopens"
    assert select(articles, count=0) == []
    assert select([], count=5) == []


def test_window() -> None:
    article = art(1, "X", minutes=10)
    assert in_window(article, T0, T0 + dt.timedelta(minutes=10))
    assert not in_window(article, T0 + dt.timedelta(minutes=10), T0 + dt.timedelta(hours=1))
    days = window_days(T0, T0 + dt.timedelta(hours=24))
    assert days[0] == dt.date(2026, 5, 2) and days[-1] == dt.date(2026, 5, 6)
