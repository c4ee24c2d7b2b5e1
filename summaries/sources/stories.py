"""Stories: articles from different sources about the same event, found by MinHash.

Two sources rewriting one wire report share most of their word triples (shingles) even
after each edits it; two reports on the same topic share words but few triples. The
Jaccard similarity of shingle sets tells them apart, and a MinHash signature (64 small
integers per article) estimates it without keeping the texts at hand.

A new article is compared with the articles of the RECENT_DAYS days before its date
(and with the batch it arrives in). When one is similar enough, the new article joins
that article's story: `Article.story` is the id of the story's first article.

    DATA/stories/YYYY-MM-DD.sig   per day: (article id, story id, signature) records

The files are derived data: written after the articles are stored and completed from
the store when an article has no signature yet (after a crash, or for articles ingested
from files), so a crash can lose no article and no story link that matters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from collections.abc import Iterable

import numpy

from summaries.article import Article, article_date_from_id
from summaries.bloom import words
from summaries.storage import write_atomic
from summaries.store import STORY_DAYS, Store

PERMUTATIONS = 64
SHINGLE_WORDS = 3
RECENT_DAYS = 3
# Jaccard of word triples: lightly edited copies of one report score 0.4-0.9 here;
# separate reports on one topic score under 0.1 (see tests/summaries/sources).
THRESHOLD = 0.35
FOLDER = "stories"

_PRIME = (1 << 61) - 1
_rng = numpy.random.default_rng(20260225)  # fixed: signatures must be stable across runs
_A = _rng.integers(1, 1 << 31, PERMUTATIONS, dtype=numpy.uint64)
_B = _rng.integers(0, 1 << 31, PERMUTATIONS, dtype=numpy.uint64)
_RECORD = numpy.dtype([("id", "S19"), ("story", "S19"), ("sig", "<u4", (PERMUTATIONS,))])


def signature(text: str) -> numpy.ndarray:
    """The MinHash signature of `text`'s word triples (all-ones for a text of no words)."""
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        tokens = tokens + [""] * (SHINGLE_WORDS - len(tokens))
    shingles = {" ".join(tokens[i : i + SHINGLE_WORDS])
                for i in range(len(tokens) - SHINGLE_WORDS + 1)}
    hashes = numpy.fromiter((zlib.crc32(s.encode("utf-8")) for s in shingles),
                            dtype=numpy.uint64, count=len(shingles))
    # (a*x + b) mod p with x < 2^32 and a, b < 2^31 stays below 2^64: no overflow.
    mixed = (hashes[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    result: numpy.ndarray = (mixed.min(axis=0) & 0xFFFFFFFF).astype(numpy.uint32)
    return result


def similarity(first: numpy.ndarray, second: numpy.ndarray) -> float:
    """Estimated Jaccard similarity of two texts' shingles from their signatures."""
    return float(numpy.count_nonzero(first == second)) / PERMUTATIONS


class StoryIndex:
    """Signatures of recent articles, kept per day in memory and on disk."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.folder = store.data_dir / FOLDER
        self._days: dict[dt.date, numpy.ndarray] = {}

    def assign(self, articles: Iterable[Article]) -> list[Article]:
        """The articles with `story` set where an earlier one tells the same story.

        Articles of the same source are never linked: a paper does not "also report"
        its own story.
        """
        result: list[Article] = []
        batch: list[tuple[Article, numpy.ndarray]] = []
        for article in articles:
            sig = signature(article.text)
            story = self._match(article, sig, batch)
            if story:
                article = dataclasses.replace(article, story=story)
            result.append(article)
            batch.append((article, sig))
        return result

    def record(self, articles: Iterable[Article]) -> None:
        """Write the signatures of stored articles (after `Store.add` committed them)."""
        by_day: dict[dt.date, list[Article]] = {}
        for article in articles:
            by_day.setdefault(article.date, []).append(article)
        for day, day_articles in by_day.items():
            table = self._day(day)
            known = set(table["id"].tolist())
            fresh = [a for a in day_articles if a.id.encode("ascii") not in known]
            if fresh:
                self._save(day, numpy.concatenate([table, _records(fresh)]))

    def _match(self, article: Article, sig: numpy.ndarray,
               batch: list[tuple[Article, numpy.ndarray]]) -> str:
        best, best_score = "", THRESHOLD
        candidates: list[tuple[str, str, numpy.ndarray]] = []
        for offset in range(-RECENT_DAYS, 2):
            table = self._day(article.date + dt.timedelta(days=offset))
            if len(table):
                scores = numpy.count_nonzero(table["sig"] == sig[None, :], axis=1)
                for row in numpy.flatnonzero(scores >= THRESHOLD * PERMUTATIONS):
                    candidates.append((table["id"][row].decode(), table["story"][row].decode(),
                                       table["sig"][row]))
        candidates += [(other.id, other.story, other_sig) for other, other_sig in batch]
        for other_id, other_story, other_sig in candidates:
            score = similarity(sig, other_sig)
            root = other_story or other_id
            if score < best_score or other_id == article.id:
                continue
            if not self._other_source(article, other_id, batch):
                continue
            root_day = article_date_from_id(root)
            if root_day is None or (article.date - root_day).days > STORY_DAYS:
                continue  # Store.story looks no further than STORY_DAYS from the root
            best, best_score = root, score
        return best

    def _other_source(self, article: Article, other_id: str,
                      batch: list[tuple[Article, numpy.ndarray]]) -> bool:
        for other, _ in batch:
            if other.id == other_id:
                return other.source != article.source
        stored = self._store.get(other_id)
        return stored is None or stored.source != article.source

    def _day(self, day: dt.date) -> numpy.ndarray:
        """The day's signatures, completed from the store for articles that lack one."""
        table = self._days.get(day)
        if table is None:
            raw = b""
            try:
                raw = (self.folder / f"{day.isoformat()}.sig").read_bytes()
            except FileNotFoundError:
                pass
            usable = len(raw) // _RECORD.itemsize * _RECORD.itemsize
            table = numpy.frombuffer(raw[:usable], dtype=_RECORD).copy()
            stored = self._store.by_date(day)
            known = set(table["id"].tolist())
            missing = [a for a in stored if a.id.encode("ascii") not in known]
            if missing:
                table = numpy.concatenate([table, _records(missing)])
                if self._store.writable:
                    self._save(day, table)
            self._days[day] = table
        return table

    def _save(self, day: dt.date, table: numpy.ndarray) -> None:
        self.folder.mkdir(exist_ok=True)
        write_atomic(self.folder / f"{day.isoformat()}.sig", table.tobytes())
        self._days[day] = table
        # Old days can no longer be matched against; keep memory to the recent ones.
        for old in [d for d in self._days if (day - d).days > RECENT_DAYS + 2]:
            del self._days[old]


def _records(articles: list[Article]) -> numpy.ndarray:
    records = numpy.zeros(len(articles), dtype=_RECORD)
    for row, article in enumerate(articles):
        records[row] = (article.id, article.story, signature(article.text))
    return records
