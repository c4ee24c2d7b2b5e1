"""The composition root: builds the store, the services and the Application from the config.

Nothing else reads the config; everything below gets plain objects from here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
import urllib.request
from urllib.parse import urlsplit

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.archive import Archive
from bot.clock import Clock
from bot.collector import INTERVAL, Collector
from bot.config import TOKEN_ENV, Config, ConfigError
from bot.dates import warm_up
from bot.delivery import Deliverer
from bot.digests import Digests
from bot.feeds import Feeds
from bot.handlers import COMMANDS, register
from bot.services import KEY, Services, services
from bot.transport import LeanRequest
from summaries.ingest import build_article
from summaries.ledger import Ledger
from summaries.sources.http import HttpClient
from summaries.sources.poll import Poller
from summaries.sources.registry import SourceRegistry
from summaries.store import Store

_LOG = logging.getLogger(__name__)
COLLECTOR = "collector"
CONCURRENT_UPDATES = 8  # a slow upload must not hold up everyone else's /latest


def build_application(config: Config, *, request: BaseRequest | None = None,
                      token: str | None = None, clock: Clock | None = None,
                      concurrent: bool = True) -> Application:  # type: ignore[type-arg]
    """The bot with its handlers; owns the store, which closes when the app shuts down."""
    token = token or config.telegram.token
    if not token:
        raise ConfigError(f"no bot token: set {TOKEN_ENV} or [telegram] token in the config "
                          "(or try the bot without one: newsbot chat)")
    store = Store.open(config.store.data_dir)
    try:
        api = config.telegram.api_base_url
        builder = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{api}/bot")
            .base_file_url(f"{api}/file/bot")
            .defaults(Defaults(parse_mode=ParseMode.HTML))
            .concurrent_updates(CONCURRENT_UPDATES if concurrent else False)
            .post_init(_post_init)
            .post_shutdown(_post_shutdown)
        )
        calls, polls = (request, request) if request is not None else _requests(api)
        builder = builder.request(calls).get_updates_request(polls)
        app = builder.build()
    except BaseException:
        store.close()
        raise
    clock = clock or Clock()
    archive = Archive(store, algorithm=config.summaries.algorithm,
                      default_sentences=config.summaries.sentences)
    ledger = Ledger.open(config.store.data_dir)

    async def blocked(chat_id: int, reason: str) -> None:
        await digests.blocked(chat_id, reason)

    async def migrated(old: int, new: int) -> None:
        await digests.migrated(old, new)

    deliverer = Deliverer(app.bot, ledger, rate=config.digest.rate,
                          paid_broadcast=config.digest.paid_broadcast,
                          on_blocked=blocked, on_migrated=migrated)
    digests = Digests(archive, ledger, deliverer, config.digest, clock)
    algorithm = config.summaries.algorithm
    client = HttpClient(config.fetch)
    registry = SourceRegistry(store, config.sources)
    poller = Poller(store, registry, client, clock=clock.now,
                    build=lambda draft: build_article(draft, algorithm=algorithm, now=clock.now()))
    app.bot_data[KEY] = Services(archive=archive, telegram=config.telegram, digests=digests,
                                 feeds=Feeds(registry, poller, client), clock=clock)
    register(app)
    return app


def _requests(api_base_url: str) -> tuple[BaseRequest, BaseRequest]:
    """The HTTP clients of the Bot API calls and of the long poll.

    The lean client (bot/transport.py says why), sized for a digest fan-out beside the
    replies, unless a proxy from the environment (HTTPS_PROXY, ALL_PROXY, ...) applies to
    the API: httpx speaks to proxies, SOCKS included, and the lean client does not.
    """
    parts = urlsplit(api_base_url)
    proxies = urllib.request.getproxies()
    if (proxies.get(parts.scheme) or proxies.get("all")) and not urllib.request.proxy_bypass(
            parts.hostname or ""):
        _LOG.info("Bot API calls go through the proxy set in the environment")
        return (HTTPXRequest(connection_pool_size=Deliverer.pool_size()),
                HTTPXRequest(connection_pool_size=1))
    return LeanRequest(connection_pool_size=Deliverer.pool_size()), LeanRequest(connection_pool_size=1)


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The minute job: start the digests that are due."""
    await services(context).digests.tick()


async def _reindex(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The next day whose index an older newsbot wrote; the job ends when none is left."""
    job = context.job
    assert job is not None and isinstance(job.data, dict)
    done = await services(context).archive.upgrade_index(job.data.get("after"))
    if done is None:
        job.schedule_removal()
    else:
        job.data["after"] = done


def _seconds_to_next_minute(now: dt.datetime) -> float:
    return 60 - now.second - now.microsecond / 1e6 + 0.5


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    await app.bot.set_my_commands(COMMANDS)
    s = app.bot_data[KEY]
    await s.digests.load()
    await s.archive.warm()  # before the collector freezes what start-up loaded
    jobs = app.job_queue
    assert jobs is not None  # the job-queue extra is a dependency
    # One job for every reader: due digests are found by (time, zone) group each minute.
    # A minute late is still on time: APScheduler's default grace of 1 s would skip it.
    jobs.run_repeating(_tick, interval=60, first=_seconds_to_next_minute(s.clock.now()),
                       name="digests", job_kwargs={"misfire_grace_time": 50, "coalesce": True})
    jobs.run_once(_tick, when=0, name="digests-catch-up")
    await s.feeds.schedule_all(jobs)
    # Days an older newsbot indexed get current indexes, one every two seconds: each
    # takes the store thread ~35 ms (parse, encode, two synced writes) from readers.
    jobs.run_repeating(_reindex, interval=2.0, first=5.0, name="reindex", data={})
    # dateparser's first call loads its language data (~0.5 s): start that now, off the
    # loop, without making start-up wait for it (a date asked meanwhile waits its turn).
    warming = asyncio.get_running_loop().run_in_executor(None, _warm_up_politely)
    app.bot_data["warm-up"] = warming
    collector = app.bot_data.get(COLLECTOR)
    if isinstance(collector, Collector):
        collector.settle()
        jobs.run_repeating(collector.collect, interval=INTERVAL, first=INTERVAL,
                           name="collector")
    warming.add_done_callback(lambda done: _ready(app, done))


def _warm_up_politely() -> None:
    """dateparser's warm-up, handing the interpreter back to the loop within 0.5 ms.

    A busy thread keeps the GIL for the switch interval (5 ms) before a waiting one may
    have it, and a reply changes threads three times: while the warm-up ran, the p99 of
    replies was 20-30 ms, and 16-24 ms with this (bench/bot_latency.py --from-start)."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        warm_up()
    finally:
        sys.setswitchinterval(interval)


def _ready(app: Application, warming: asyncio.Future[None]) -> None:  # type: ignore[type-arg]
    """Start-up work is over: settle again what the warm-up loaded, and say so."""
    if not warming.cancelled() and warming.exception() is not None:
        _LOG.warning("dateparser warm-up failed: %s", warming.exception())
    collector = app.bot_data.get(COLLECTOR)
    if isinstance(collector, Collector):
        collector.settle()  # dateparser's tables live as long as the bot, too
    _LOG.info("ready: every reader is answered at full speed from now on")


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    found = app.bot_data.get(KEY)
    if isinstance(found, Services):
        await found.digests.stop()  # a message in flight is left to the ledger's recovery
        found.digests.deliverer.close()
        found.feeds.close()
        found.archive.close()
        found.digests.ledger.close()
        found.archive.store.close()


async def _check_token(app: Application) -> None:  # type: ignore[type-arg]
    """Ask Telegram who we are once, so a rejected token is an error, not a logged retry loop."""
    async with app.bot:
        pass


def run(config: Config) -> None:
    """Serve Telegram until interrupted: long polling, or a webhook when configured."""
    app = build_application(config)
    # The bot owns this process, so it may take the garbage collector over (collector.py).
    app.bot_data[COLLECTOR] = Collector()
    try:
        asyncio.run(_check_token(app))
    except BaseException:
        asyncio.run(_post_shutdown(app))
        raise
    if config.telegram.mode == "webhook":
        hook = config.telegram.webhook
        app.run_webhook(
            listen=hook.listen,
            port=hook.port,
            url_path=urlsplit(hook.url).path.lstrip("/"),
            webhook_url=hook.url,
            secret_token=hook.secret_token or None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
