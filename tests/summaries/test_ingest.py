from __future__ import annotations

import datetime as dt
from pathlib import Path

from summaries.corpus import Draft
from summaries.ingest import build_article, find_files, ingest
from summaries.store import Store
from tests.conftest import SAMPLES


def test_seed_dateline_is_the_place_not_title_or_summary(seed_file: Path, tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        report = ingest(store, find_files([seed_file]))
        assert (report.added, report.present, report.rejected) == (1, 0, [])
        (article,) = store.by_date(dt.date(2026, 2, 25))
    assert article.place == "BAKU, Azerbaijan"
    assert article.source == "Trend"
    assert article.language == "en"
    assert "BAKU" not in article.title and "February 25" not in article.title
    assert article.title.startswith("The Congress of the Republic of Peru")
    for sentence in article.summary(5):
        assert "BAKU" not in sentence
        assert "Trend reports" not in sentence
    assert len(article.summary(5)) == 5
    assert 1 <= len(article.summary(1)) == 1


def test_reingest_is_idempotent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        first = ingest(store, find_files([SAMPLES]))
        count = store.count()
    with Store.open(data) as store:
        second = ingest(store, find_files([SAMPLES]))
        assert store.count() == count
    assert first.added == count >= 12 and not first.rejected
    assert (second.added, second.present) == (0, count)


def test_a_summary_of_any_length_comes_from_the_stored_ranking() -> None:
    text = " ".join(f"Sentence number {i} talks about the harbor bridge plan." for i in range(1, 9))
    draft = Draft(origin="t", date=dt.date(2026, 2, 1), text=text)
    article = build_article(draft)
    for n in range(1, 6):
        summary = article.summary(n)
        assert len(summary) == n
        positions = [text.index(s) for s in summary]
        assert positions == sorted(positions)


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2026-02-24 KYIV, Feb. 24 - The first story. It is short.")
    (tmp_path / "b.txt").write_bytes(b"date 2026-02-24 \xff\xfe broken")
    (tmp_path / "c.txt").write_text("date 2026-02-25 The second story. It is short too.")
    with Store.open(tmp_path / "data") as store:
        report = ingest(store, find_files([tmp_path]))
        assert report.added == 2
        assert [e.source for e in report.rejected] == [str(tmp_path / "b.txt")]
        assert [a.title for a in store.by_date(dt.date(2026, 2, 24))] == ["The first story"]
