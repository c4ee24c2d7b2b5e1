from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import summaries.seen
from summaries.article import Article, RankedSentence, make_article_id
from summaries.errors import InputError
from summaries.store import Store


def _article(n: int, day: dt.date = dt.date(2026, 2, 25)) -> Article:
    url = f"https://example.com/{n}"
    return Article(id=make_article_id(day, "", url), date=day, title=f"T{n}", text=f"Text {n}.",
                   language="en", ranked=(RankedSentence(0, f"Text {n}."),), url=url)


def test_keys_are_recorded_with_the_batch_and_survive_reopening(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert store.known(["url:a"]) == {}
        a, b = _article(1), _article(2)
        store.add([a, b], keys={a.id: ["url:a", "guid:a"], b.id: ["url:b"]})
        assert store.known(["url:a", "url:b", "url:c"]) == {"url:a": a.id, "url:b": b.id}
        # Keys of an article already stored still point at it.
        store.add([a], keys={a.id: ["text:a"]})
        assert store.known(["text:a"]) == {"text:a": a.id}
    with Store.open(tmp_path, writable=False) as reader:
        assert reader.known(["guid:a", "text:a"]) == {"guid:a": a.id, "text:a": a.id}


def test_a_rejected_batch_records_no_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        good = _article(2)
        with pytest.raises(InputError):
            store.add([good, "not an article"], keys={good.id: ["url:x"]})  # type: ignore[list-item]
        assert store.known(["url:x"]) == {} and store.count() == 0


def test_segments_are_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summaries.seen, "MAX_SEGMENTS", 3)
    with Store.open(tmp_path) as store, Store.open(tmp_path, writable=False) as reader:
        articles = [_article(n) for n in range(6)]
        for article in articles[:3]:
            store.add([article], keys={article.id: [f"url:{article.id}"]})
        assert len(reader.known(f"url:{a.id}" for a in articles)) == 3  # the reader caches
        for article in articles[3:]:
            store.add([article], keys={article.id: [f"url:{article.id}"]})
        assert len(list((tmp_path / "seen").iterdir())) <= 3
        assert len(reader.known(f"url:{a.id}" for a in articles)) == 6
        assert len(store.known(f"url:{a.id}" for a in articles)) == 6
