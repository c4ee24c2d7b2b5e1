"""The store as the bot sees it: the same calls, awaited, run off the event loop.

TinyDB is not thread-safe and a cold day lookup reads a file, so every store call runs on
one dedicated worker thread: handlers never block the loop, and calls never interleave.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from bot.subscriptions import Subscription
from summaries.article import Article, Headline
from summaries.corpus import parse_bytes
from summaries.digest import in_window, window_days
from summaries.gcpause import collector_paused
from summaries.ingest import IngestReport, ingest_drafts
from summaries.partition import Chunk
from summaries.records import Records
from summaries.store import Store

T = TypeVar("T")


class Archive:
    """Async access to the articles and the chats' settings."""

    def __init__(self, store: Store, *, algorithm: str, default_sentences: int) -> None:
        self.store = store
        self.algorithm = algorithm
        self.default_sentences = default_sentences
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._chats = Records(store.table("chats"))
        self._subscriptions = Records(store.table("subscriptions"))

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *args))

    async def get(self, article_id: str) -> Article | None:
        return await self._run(self.store.get, article_id)

    async def article_view(self, article_id: str, chat_id: int | None
                           ) -> tuple[Article, int, list[Article]] | None:
        """What an article's card shows, in one trip to the store thread: the article,
        the chat's summary length and the other articles of its story."""
        def read() -> tuple[Article, int, list[Article]] | None:
            article = self.store.get(article_id)
            if article is None:
                return None
            sentences = self._sentences(chat_id) if chat_id is not None else self.default_sentences
            return article, sentences, self.store.story(article)
        return await self._run(read)

    async def headlines_page(self, day: dt.date, start: int, count: int
                             ) -> tuple[int, list[Headline]]:
        """The day's article count and headlines `start` to `start + count`."""
        return await self._run(self.store.headlines_page, day, start, count)

    async def by_date(self, day: dt.date) -> list[Article]:
        return await self._run(self.store.by_date, day)

    async def warm(self) -> int:
        """Read the store's day indexes ahead of the first readers (see Store.warm)."""
        return await self._run(self.store.warm)

    async def upgrade_index(self, after: Chunk | None) -> Chunk | None:
        """One more day's index brought up to date (see summaries/reindex.py)."""
        return await self._run(self.store.upgrade_index, after)

    async def dates(self) -> list[dt.date]:
        return await self._run(self.store.dates)

    async def latest_headlines(self, n: int) -> list[Headline]:
        return await self._run(self.store.latest_headlines, n)

    async def search(self, query: str, limit: int) -> list[Article]:
        return await self._run(self.store.search, query, limit)

    async def stats(self) -> tuple[int, int, int]:
        """Articles, chats and bytes on disk."""
        return await self._run(
            lambda: (self.store.count(), self._chats.count(), self.store.size_bytes())
        )

    async def sentences(self, chat_id: int) -> int:
        return await self._run(self._sentences, chat_id)

    def _sentences(self, chat_id: int) -> int:
        value = (self._chats.get(chat_id) or {}).get("sentences", self.default_sentences)
        return int(value) if 1 <= int(value) <= 5 else self.default_sentences

    async def set_sentences(self, chat_id: int, sentences: int) -> None:
        await self._run(functools.partial(self._chats.update, chat_id, sentences=sentences))

    async def sentences_many(self, chat_ids: list[int]) -> dict[int, int]:
        """Summary lengths of many chats in one trip to the store thread."""
        def read() -> dict[int, int]:
            found = {}
            for chat_id in chat_ids:
                value = (self._chats.get(chat_id) or {}).get("sentences")
                if isinstance(value, int) and 1 <= value <= 5:
                    found[chat_id] = value
            return found
        return await self._run(read)

    async def ingested_between(self, since: dt.datetime, until: dt.datetime) -> list[Article]:
        """Articles that entered the archive in (since, until], from the days they can be in."""
        def read() -> list[Article]:
            return [a for day in window_days(since, until) for a in self.store.by_date(day)
                    if in_window(a, since, until)]
        return await self._run(read)

    async def subscriptions(self) -> dict[int, Subscription]:
        def read() -> dict[int, Subscription]:
            # 100,000 records are 100,000 new dicts: the collector's passes over them
            # while they are built would double the load time, and they all live on.
            with collector_paused():
                return {chat_id: Subscription.from_record(chat_id, record)
                        for chat_id, record in self._subscriptions}
        return await self._run(read)

    async def save_subscriptions(self, subscriptions: list[Subscription]) -> None:
        """Write many subscriptions at once: one file rewrite, not one per reader."""
        if subscriptions:
            await self._run(self._subscriptions.update_many,
                            {s.chat_id: s.to_record() for s in subscriptions})

    async def remove_subscription(self, chat_id: int) -> None:
        await self._run(self._subscriptions.remove, chat_id)

    async def ingest_text(self, name: str, data: bytes) -> IngestReport:
        """Store the articles of one uploaded corpus file; rejections are reported, not raised."""
        return await self._run(self._ingest_text, name, data)

    def _ingest_text(self, name: str, data: bytes) -> IngestReport:
        return ingest_drafts(self.store, parse_bytes(data, name), algorithm=self.algorithm)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
