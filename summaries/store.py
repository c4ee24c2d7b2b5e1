"""The article archive: crash-safe batches, lookups by id, day, recency and words.

An article id starts with its date, so a lookup by id or by day opens one day's files and
no index of the whole archive exists: the cost of a batch does not grow with the archive.
One process writes (an flock on DATA/.lock); any number read without a lock, because
every file is replaced by an atomic rename and every cache is checked against the file.
The folder layout is drawn in datafolder.py.

A reader may see a batch half-applied while a writer renames its files in, or after a
writer died mid-batch until the next writable open replays the journal; every file it
reads is whole. Order: `by_date` is ingest order; `latest` and `search` go newest day
first and, within a day, last added first.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from tinydb import TinyDB
from tinydb.table import Table

from summaries.article import Article, Headline, article_date_from_id
from summaries.bloom import word_pattern, words
from summaries.datafolder import DataFolder
from summaries.errors import StoreError
from summaries.lock import WriterLock
from summaries.partition import (
    CHUNK_ARTICLES,
    Chunk,
    encode_chunk,
    group_by_day,
)
from summaries.reindex import upgrade_after
from summaries.seen import SeenIndex
from summaries.sidecar import ChunkIndex
from summaries.storage import AtomicJSONStorage, Batch

# The longest span of one story, from its first article's day (stories.py keeps to it).
STORY_DAYS = 7
_TABLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")

T = TypeVar("T")
_Staged = tuple[Chunk, list[Article], ChunkIndex]


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `Store.add` did with each id of a batch, in the batch's order."""

    added: list[str]
    present: list[str]  # already stored, or repeated within the batch


class Store:
    """The article archive in a data folder; open with `Store.open`, use as a context manager.

    Each method holds an internal lock, so calls from several threads (e.g. an executor
    serving the bot) are serialized rather than interleaved.
    """

    def __init__(self, data_dir: Path, lock: WriterLock | None) -> None:
        self.data_dir = data_dir
        self.writable = lock is not None
        self._lock = lock
        self._folder = DataFolder(data_dir, sole_writer=self.writable)
        self._mutex = threading.RLock()
        self._closed = False
        self._tables: dict[str, TinyDB] = {}
        self._seen = SeenIndex(data_dir)

    @classmethod
    def open(cls, data_dir: Path, *, writable: bool = True) -> Store:
        """Open a data folder, creating it when writable; a writer finishes a crashed batch."""
        data_dir = Path(data_dir)
        if writable:
            data_dir.mkdir(parents=True, exist_ok=True)
        DataFolder.check(data_dir, create=writable)
        if not writable:
            return cls(data_dir, None)
        lock = WriterLock.acquire(data_dir)
        store = cls(data_dir, lock)
        try:
            store._folder.prepare()
        except BaseException:
            lock.release()
            raise
        return store

    def close(self) -> None:
        """Release the writer lock and the table files; the store cannot be used after."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            for db in self._tables.values():
                db.close()
            self._tables.clear()
            self._folder.clear()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- adding -------------------------------------------------------------------------

    def add(
        self, articles: Iterable[Article], *, keys: Mapping[str, Iterable[str]] | None = None
    ) -> AddResult:
        """Store a batch: all of it lands or (after a crash) none of it; known ids are skipped.

        The batch is checked whole first (InputError, nothing stored). Each day touched
        costs one rewrite of that day's last chunk, whatever the size of the archive.
        `keys` maps an article id to the keys `known` will find it by (canonical URL,
        GUID, text hash); they are recorded, in the same batch, for the added articles.
        """
        batch_list = list(articles)
        groups = group_by_day(batch_list)
        fresh_ids: set[str] = set()
        with self._mutex:
            self._check_usable(write=True)
            staged: list[_Staged] = []
            batch = Batch(self.data_dir)
            try:
                for day, day_articles in groups.items():
                    staged += self._stage_day(batch, day, day_articles, fresh_ids)
                if keys:
                    self._stage_keys(batch, batch_list, keys)
                batch.commit()
            finally:
                batch.abandon()  # a no-op once committed; drops staged files otherwise
            for chunk, chunk_articles, index in staged:
                self._folder.remember(chunk, chunk_articles, index)
            if keys:
                self._seen.compact()
        added: list[str] = []
        present: list[str] = []
        for article in batch_list:
            if article.id in fresh_ids:
                added.append(article.id)
                fresh_ids.discard(article.id)  # a repeat within the batch is "present"
            else:
                present.append(article.id)
        return AddResult(added, present)

    def _stage_day(
        self, batch: Batch, day: dt.date, articles: list[Article], fresh_ids: set[str]
    ) -> list[_Staged]:
        """Stage the day's new articles into its last chunk, opening new chunks when full."""
        numbers = self._folder.chunks_of(day)
        known: set[str] = set()
        for number in numbers:
            known |= self._folder.index(Chunk(day, number)).id_set
        fresh = [article for article in articles if article.id not in known]
        if not fresh:
            return []
        fresh_ids.update(article.id for article in fresh)
        chunk = Chunk(day, numbers[-1] if numbers else 0)
        old = self._folder.partition(chunk).articles if numbers else []
        old_index = self._folder.index(chunk) if numbers else None
        self._folder.make_year_dir(day.year)
        staged: list[_Staged] = []
        while fresh:
            if len(old) >= CHUNK_ARTICLES:
                chunk, old, old_index = Chunk(day, chunk.number + 1), [], None
            taken, fresh = fresh[: CHUNK_ARTICLES - len(old)], fresh[CHUNK_ARTICLES - len(old) :]
            combined = old + taken
            data, heads, spans = encode_chunk(chunk, combined)
            if old_index is None:
                index = ChunkIndex.build(combined, len(data), spans)
            else:
                index = old_index.extended(old, taken, len(data), spans)
            batch.write(chunk.path(self._folder.articles), data)
            batch.write(chunk.sidecar(self._folder.articles), index.to_bytes())
            batch.write(chunk.headlines(self._folder.articles), heads)
            staged.append((chunk, combined, index))
            old, old_index = combined, index
        return staged

    def _stage_keys(
        self, batch: Batch, articles: list[Article], keys: Mapping[str, Iterable[str]]
    ) -> None:
        # Keys of articles already stored are recorded too (pointing at the stored id),
        # so an archive ingested before keys existed stops being re-fetched.
        pairs = {key: article.id for article in articles for key in keys.get(article.id, ())}
        known = self._seen.lookup(pairs)
        self._seen.stage(batch, {k: v for k, v in pairs.items() if k not in known})

    # --- reading ------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or None; opens only the day the id names."""
        day = article_date_from_id(article_id)
        if day is None:
            return None
        with self._mutex:
            self._check_usable()
            for number in self._folder.chunks_of(day):
                chunk = Chunk(day, number)
                found = self._folder.article(chunk, self._folder.index(chunk), article_id)
                if found is not None:
                    return found
        return None

    def known(self, keys: Iterable[str]) -> dict[str, str]:
        """Which of `keys` were recorded by `add`, each with its article's id; reads no
        article, only the small in-memory key index (see seen.py)."""
        with self._mutex:
            self._check_usable()
            return self._seen.lookup(keys)

    def story(self, article: Article) -> list[Article]:
        """The other articles of `article`'s story (see `Article.story`), oldest first.

        A story's id is its first article's id, which names its day; members are looked
        for from that day over the next STORY_DAYS days, which stories.py never exceeds.
        """
        root = article.story or article.id
        start = article_date_from_id(root)
        if start is None:
            return []
        found: list[Article] = []
        with self._mutex:
            self._check_usable()
            for offset in range(STORY_DAYS + 1):
                day = start + dt.timedelta(days=offset)
                for number in self._folder.chunks_of(day):
                    chunk = Chunk(day, number)
                    index = self._folder.index(chunk)
                    if index.links_story(root):
                        for other in self._folder.partition(chunk).articles:
                            if other.id != article.id and (other.id == root or other.story == root):
                                found.append(other)
                    elif root != article.id and root in index.id_set:
                        first = self._folder.article(chunk, index, root)  # alone on its day
                        found += [first] if first is not None else []
                    # else: the sidecar says the day holds none of the story
        return found

    def headlines(self, day: dt.date) -> list[Headline]:
        """A day's articles without their bodies, in ingest order: what a list shows,
        read from a file a fifth the size of the day's partition."""
        with self._mutex:
            self._check_usable()
            return [h for number in self._folder.chunks_of(day)
                    for h in self._folder.headlines(Chunk(day, number))]

    def headlines_page(self, day: dt.date, start: int, count: int) -> tuple[int, list[Headline]]:
        """How many articles the day has, and headlines `start` to `start + count` of its
        list: one page reads those records only (counts and spans from the sidecars)."""
        with self._mutex:
            self._check_usable()
            chunks = [Chunk(day, number) for number in self._folder.chunks_of(day)]
            indexes = [self._folder.index(chunk) for chunk in chunks]
            page: list[Headline] = []
            offset = max(start, 0)
            for chunk, index in zip(chunks, indexes, strict=True):
                if offset < len(index.ids) and len(page) < count:
                    page += self._folder.headlines_range(chunk, index, offset,
                                                         offset + count - len(page))
                offset = max(0, offset - len(index.ids))
            return sum(len(index.ids) for index in indexes), page

    def by_date(self, day: dt.date) -> list[Article]:
        """The day's articles in the order they were added."""
        with self._mutex:
            self._check_usable()
            return [
                article
                for number in self._folder.chunks_of(day)
                for article in self._folder.partition(Chunk(day, number)).articles
            ]

    def dates(self) -> list[dt.date]:
        """The days that have articles, oldest first."""
        with self._mutex:
            self._check_usable()
            return [day for day, _ in self._folder.all_days()]

    def latest(self, n: int) -> list[Article]:
        """The `n` newest articles: newest day first, last added first within a day."""
        return self._newest(n, lambda chunk: self._folder.partition(chunk).articles)

    def latest_headlines(self, n: int) -> list[Headline]:
        """`latest` without the bodies, for lists: a fifth of the bytes to read."""
        return self._newest(n, self._folder.headlines)

    def _newest(self, n: int, read: Callable[[Chunk], Sequence[T]]) -> list[T]:
        result: list[T] = []
        with self._mutex:
            self._check_usable()
            for chunk in self._folder.chunks_newest_first():
                if len(result) >= n:
                    break
                result.extend(reversed(read(chunk)))
        return result[: max(n, 0)]

    def search(self, query: str, limit: int = 20) -> list[Article]:
        """Articles whose title or text holds every word of `query`, newest first.

        Words are casefolded `\\w+` runs and match whole. A chunk is opened only when its
        Bloom filter may hold every word; each article in it is then checked exactly.
        """
        terms = list(dict.fromkeys(words(query)))
        if not terms or limit <= 0:
            return []
        patterns = [word_pattern(term) for term in terms]
        result: list[Article] = []
        with self._mutex:
            self._check_usable()
            for chunk in self._folder.chunks_newest_first():
                bloom = self._folder.index(chunk).bloom
                if not all(bloom.might_contain(term) for term in terms):
                    continue
                for article in reversed(self._folder.partition(chunk).articles):
                    haystack = f"{article.title}\n{article.text}".casefold()
                    if all(pattern.search(haystack) for pattern in patterns):
                        result.append(article)
                        if len(result) == limit:
                            return result
        return result

    def count(self) -> int:
        """How many articles are stored; reads the small sidecars, not the articles."""
        with self._mutex:
            self._check_usable()
            return sum(
                self._folder.article_count(Chunk(day, number))
                for day, numbers in self._folder.all_days()
                for number in numbers
            )

    def warm(self) -> int:
        """Read the newest days' small indexes ahead of the first lookups (a long-running
        process's first minutes then cost what its later ones do); returns how many."""
        with self._mutex:
            self._check_usable()
            return self._folder.warm_indexes()

    def upgrade_index(self, after: Chunk | None = None) -> Chunk | None:
        """Give the next chunk (after `after`, newest first) whose sidecar an older
        newsbot wrote a current one; returns it, or None when none is left (reindex.py)."""
        with self._mutex:
            self._check_usable(write=True)
            return upgrade_after(self._folder, after)

    def size_bytes(self) -> int:
        """Bytes the data folder's files take (their sizes, summed)."""
        return self._folder.size_bytes()

    def table(self, name: str) -> Table:
        """A small TinyDB table (e.g. "chats") in its own atomically replaced file.

        TinyDB is not safe across processes; the store's writer lock is what keeps each
        table to one writer. A read-only store refuses writes and re-reads on each query.
        """
        if not _TABLE_NAME.fullmatch(name):
            raise ValueError(f"table name {name!r}: use lowercase letters, digits and _")
        with self._mutex:
            self._check_usable()
            db = self._tables.get(name)
            if db is None:
                folder = self.data_dir / "tables"
                if self.writable:
                    folder.mkdir(exist_ok=True)
                db = TinyDB(
                    folder / f"{name}.json", storage=AtomicJSONStorage, writable=self.writable
                )
                self._tables[name] = db
            return db.table(name, cache_size=30 if self.writable else 0)

    def _check_usable(self, *, write: bool = False) -> None:
        if self._closed:
            raise StoreError(f"the store at {self.data_dir} is closed")
        if write and not self.writable:
            raise StoreError(f"the store at {self.data_dir} was opened read-only")

