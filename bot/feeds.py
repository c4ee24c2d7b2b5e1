"""News feeds inside the bot: a polling job per source, run on a thread of their own.

Fetching a feed can take seconds (timeouts, slow sites) and summarizing its new entries
is CPU work, so polls never run on the event loop — nor on the store thread that answers
readers: a slow site must not hold up /date. The registry and the poller are used from
this one thread only; the store serializes its own writes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from telegram.ext import ContextTypes, JobQueue

from summaries.sources.http import HttpClient
from summaries.sources.poll import Poller, PollResult
from summaries.sources.registry import Source, SourceRegistry, SourceStatus

log = logging.getLogger(__name__)
T = TypeVar("T")
STAGGER_SECONDS = 7  # first polls spread out, so start-up is not one burst of requests


class Feeds:
    """The configured and chat-added sources, their polls and their jobs."""

    def __init__(self, registry: SourceRegistry, poller: Poller, client: HttpClient) -> None:
        self.registry = registry
        self.poller = poller
        self._client = client
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feeds")

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *args))

    async def sources(self) -> list[Source]:
        return await self._run(self.registry.sources)

    async def statuses(self) -> list[SourceStatus]:
        return await self._run(self.registry.statuses)

    async def poll(self, source: Source, *, force: bool = False) -> PollResult:
        result = await self._run(functools.partial(self.poller.poll, source, force=force))
        log.log(logging.WARNING if result.error else logging.INFO, "poll %s", result.line())
        return result

    async def add(self, url: str) -> Source:
        """Add a feed (InputError when the URL is bad or already there)."""
        return await self._run(self.registry.add, url)

    async def remove(self, name_or_url: str) -> Source:
        return await self._run(self.registry.remove, name_or_url)

    def schedule(self, jobs: JobQueue[Any], source: Source, first: float = 1.0) -> None:
        """(Re)start the repeating poll of one source."""
        self.unschedule(jobs, source)
        jobs.run_repeating(_poll_job, interval=source.interval_minutes * 60, first=first,
                           name=_job_name(source), data=source,
                           job_kwargs={"misfire_grace_time": 60, "coalesce": True})

    def unschedule(self, jobs: JobQueue[Any], source: Source) -> None:
        for job in jobs.get_jobs_by_name(_job_name(source)):
            job.schedule_removal()

    async def schedule_all(self, jobs: JobQueue[Any]) -> None:
        for number, source in enumerate(await self.sources()):
            self.schedule(jobs, source, first=1.0 + number * STAGGER_SECONDS)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._client.close()


def _job_name(source: Source) -> str:
    return f"feed:{source.key}"


async def _poll_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A source's repeating job; errors are the source's, recorded in its state."""
    from bot.services import services  # services imports this module

    job = context.job
    assert job is not None and isinstance(job.data, Source)
    await services(context).feeds.poll(job.data)
