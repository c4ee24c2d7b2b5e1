from __future__ import annotations

import dataclasses
import datetime as dt

from summaries.article import Article
from summaries.sources import Source
from summaries.sources.stories import StoryIndex, signature, similarity
from summaries.store import Store
from tests.fakes.newssite import Entry, NewsSite
from tests.summaries.sources.conftest import Rig
from tests.summaries.sources.story_texts import REWRITES, UNRELATED


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def test_rewrites_are_similar_and_a_same_topic_story_is_not() -> None:
    sigs = [signature(" ".join(text)) for text in REWRITES]
    other = signature(" ".join(UNRELATED))
    assert min(similarity(a, b) for a in sigs for b in sigs) > 0.5
    assert max(similarity(a, other) for a in sigs) < 0.15
    assert signature("").shape == (64,)


def test_three_sources_rewriting_one_story_are_linked(site: NewsSite, rig: Rig) -> None:
    times = ["Wed, 25 Feb 2026 07:00:00 +0000", "Wed, 25 Feb 2026 08:00:00 +0000",
             "Thu, 26 Feb 2026 09:00:00 +0000"]
    for n, (text, published) in enumerate(zip(REWRITES, times)):
        entries = [Entry(f"s{n}", f"/s{n}/ferries", "Ferries", text=_html(text), published=published)]
        if n == 1:  # the unrelated story on the same topic arrives with the second source
            entries.append(Entry("strike", "/s1/strike", "Strike", text=_html(UNRELATED),
                                 published=published))
        assert rig.poller.poll(Source(f"Outlet {n}", site.feed(f"/s{n}.xml", entries))).error == ""
    first, *_ = rig.store.by_date(dt.date(2026, 2, 25))
    day1 = {a.source + "/" + a.title: a for a in rig.store.by_date(dt.date(2026, 2, 25))}
    [third] = rig.store.by_date(dt.date(2026, 2, 26))
    second, strike = day1["Outlet 1/Ferries"], day1["Outlet 1/Strike"]
    assert first.story == "" and second.story == third.story == first.id
    assert strike.story == ""
    assert [a.source for a in rig.store.story(first)] == ["Outlet 1", "Outlet 2"]
    assert [a.source for a in rig.store.story(third)] == ["Outlet 0", "Outlet 1"]
    assert rig.store.story(strike) == []


def test_signatures_are_rebuilt_for_articles_that_lack_them(rig: Rig) -> None:
    # Articles ingested from files (or before a crash) have no signature file yet.
    first = rig.counter(_draft("Wire", REWRITES[0]))
    rig.store.add([first])
    index = StoryIndex(rig.store)
    [linked] = index.assign([rig.counter(_draft("Other", REWRITES[1]))])
    assert linked.story == first.id
    assert (rig.store.data_dir / "stories" / "2026-02-25.sig").exists()
    same_source = StoryIndex(rig.store).assign([rig.counter(_draft("Wire", REWRITES[2]))])
    assert same_source[0].story == ""  # a paper does not "also report" its own story


def test_story_field_is_backward_compatible(store: Store) -> None:
    from tests.summaries.sources.conftest import Counter

    article = Counter()(_draft("Wire", REWRITES[0]))
    record = article.to_dict()
    assert "story" not in record and Article.from_dict(record).story == ""
    linked = dataclasses.replace(article, story="20260224-0123456789")
    assert Article.from_dict(linked.to_dict()) == linked


def _draft(source: str, paragraphs: list[str]):  # type: ignore[no-untyped-def]
    from summaries.corpus import Draft

    return Draft(origin=source, date=dt.date(2026, 2, 25), text="\n\n".join(paragraphs),
                 title="Ferries", url=f"https://{source.lower()}.example/ferries", source=source)
