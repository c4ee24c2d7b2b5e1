"""Polling a source once: fetch, parse, keep what is new, summarize it, store it.

Order matters for cost: every entry's GUID, URL and (when the feed carries the full
text) text hash are checked against the store's key index before any page is fetched
or anything summarized, so a poll with nothing new costs one request (often a 304) and
a feed parse, and writes nothing.

A source's problem never escapes as an exception: `Poller.poll` returns a `PollResult`
with the error, records it (backoff), and logs it. Only a bug or a broken store raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from summaries.article import Article
from summaries.bloom import words
from summaries.corpus import MAX_ARTICLE_CHARS, Draft
from summaries.errors import InputError
from summaries.ingest import build_article
from summaries.sources.errors import SourceError
from summaries.sources.feeds import Feed, FeedEntry, looks_like_feed, parse_feed
from summaries.sources.http import HttpClient, Response
from summaries.sources.pages import extract_page
from summaries.sources.registry import Source, SourceRegistry, name_from_url
from summaries.sources.stories import StoryIndex
from summaries.sources.urls import canonical_url
from summaries.store import Store

log = logging.getLogger("summaries.sources")

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"

Builder = Callable[[Draft], Article]


@dataclass(slots=True)
class PollResult:
    """What one poll of one source did; `line()` is the CLI's one-line report."""

    source: str
    new: int = 0  # articles stored
    seen: int = 0  # entries already stored (by GUID, URL or text)
    not_modified: bool = False  # the server answered 304
    skipped: bool = False  # backing off after failures; nothing was fetched
    error: str = ""  # the source as a whole failed
    rejected: list[str] = field(default_factory=list)  # entries that could not be used
    undated: int = 0  # new entries dated by the fetch time, for want of any other date
    pages: int = 0  # article pages fetched

    @property
    def ok(self) -> bool:
        return not self.error

    def line(self) -> str:
        if self.error:
            return f"{self.source}: error: {self.error}"
        if self.skipped:
            return f"{self.source}: skipped (backing off after failures)"
        text = f"{self.source}: {self.new} new, {self.seen} seen"
        if self.not_modified:
            text += " (not modified)"
        if self.rejected:
            text += f", {len(self.rejected)} rejected"
        if self.undated:
            text += f" ({self.undated} without a date: dated by the fetch time)"
        return text


def text_key(text: str) -> str:
    """The key of a text that ignores case, spacing and markup: the same story
    reposted under another URL has the same key."""
    digest = hashlib.blake2b(" ".join(words(text)).encode("utf-8"), digest_size=16)
    return f"text:{digest.hexdigest()}"


def url_key(url: str) -> str:
    return f"url:{canonical_url(url)}"


class Poller:
    """Polls sources into a store. `clock` gives aware datetimes (tests set it)."""

    def __init__(
        self, store: Store, registry: SourceRegistry, client: HttpClient, *,
        build: Builder = build_article,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
    ) -> None:
        self.store = store
        self.registry = registry
        self.client = client
        self.stories = StoryIndex(store)
        self._build = build
        self._clock = clock
        # Digest of each feed's last body; the registry keeps the one of the last poll
        # that stored something, so a restart does not parse an unchanged feed again.
        self._bodies: dict[int, str] = {}

    def poll(self, source: Source, *, force: bool = False) -> PollResult:
        """Poll one source once; a failing source is skipped until its backoff ends,
        unless `force`."""
        now = self._clock()
        result = PollResult(source.name)
        if not force and not self.registry.due(source, now):
            result.skipped = True
            return result
        state = self.registry.state(source)
        try:
            response = self.client.get(source.url, etag=state.etag,
                                       last_modified=state.last_modified, accept=FEED_ACCEPT)
            if response.not_modified:
                result.not_modified = True
                self.registry.succeeded(source, now, etag=state.etag,
                                        last_modified=state.last_modified)
                return result
            digest = hashlib.blake2b(response.body, digest_size=16).hexdigest()
            if self._bodies.get(source.key, state.body) != digest:
                feed = parse_feed(response.body, url=source.url, content_type=response.content_type,
                                  charset=response.charset, zone=source.zone)
                self._take(source, feed, result, now)
                self._bodies[source.key] = digest
        except SourceError as error:
            result.error = error.reason
            state = self.registry.failed(source, now, error.reason)
            log.warning("source %s failed (%d in a row): %s", source.name, state.failures, error)
            return result
        self.registry.succeeded(source, now, etag=response.etag,
                                last_modified=response.last_modified, stored=result.new > 0,
                                body=self._bodies.get(source.key, ""))
        return result

    def poll_all(self, sources: Iterable[Source] | None = None, *, force: bool = False,
                 on_result: Callable[[PollResult], None] | None = None) -> list[PollResult]:
        """Poll each source once; one broken source (even a bug) never stops the others."""
        results = []
        for source in self.registry.sources() if sources is None else sources:
            try:
                result = self.poll(source, force=force)
            except Exception as error:  # a bug or a store problem: report it, go on
                log.exception("polling %s failed", source.name)
                result = PollResult(source.name, error=f"internal error ({error})")
            results.append(result)
            if on_result is not None:
                on_result(result)
        return results

    def ingest_url(self, url: str, *, language: str | None = None) -> PollResult:
        """Store what one address holds: every entry of a feed, or one article page.

        Not a registered source: nothing about it is remembered but its articles.
        """
        now = self._clock()
        source = Source(name=name_from_url(url), url=url, language=language, origin="cli")
        result = PollResult(url)
        if self.store.known([url_key(url)]):
            result.seen = 1  # a stored page (or a feed entry's page): nothing to fetch
            return result
        try:
            response = self.client.get(url, accept=f"{FEED_ACCEPT}, {PAGE_ACCEPT}")
            if looks_like_feed(response.body, response.content_type):
                feed = parse_feed(response.body, url=url, content_type=response.content_type,
                                  charset=response.charset)
                self._take(source, feed, result, now)
            else:
                entry = FeedEntry(guid="", url=canonical_url(response.url), title="",
                                  published=None, text="", teaser=True)
                self._take(source, Feed("", url, [entry]), result, now, page=response)
        except SourceError as error:
            result.error = error.reason
        if len(result.rejected) and not result.new and not result.seen:
            result.error = result.rejected[0]
        return result

    # --- the pipeline ---------------------------------------------------------------------

    def _take(self, source: Source, feed: Feed, result: PollResult, now: dt.datetime,
              page: Response | None = None) -> None:
        """Store the feed's new entries; counts go into `result`."""
        scope = canonical_url(source.url)
        entry_keys = [_keys(entry, scope) for entry in feed.entries]
        known = self.store.known(key for keys in entry_keys for key in keys)
        taken: set[str] = set()
        drafts: list[tuple[Draft, list[str]]] = []
        for entry, keys in zip(feed.entries, entry_keys):
            if any(key in known or key in taken for key in keys):
                result.seen += 1
                continue
            taken.update(keys)
            try:
                draft = self._draft(source, entry, result, now, page)
            except (SourceError, InputError) as error:
                result.rejected.append(str(error))
                log.warning("source %s: %s", source.name, error)
                continue
            keys = keys + [text_key(draft.text)] if entry.teaser else keys
            if entry.teaser and (keys[-1] in taken or self.store.known([keys[-1]])):
                result.seen += 1  # a repost of a stored text, found once the page was read
                continue
            taken.update(keys)
            drafts.append((draft, keys))
        if not drafts:
            return
        articles: dict[str, Article] = {}
        key_map: dict[str, list[str]] = {}
        for draft, keys in drafts:
            try:
                article = self._build(draft)
            except InputError as error:
                result.rejected.append(str(error))
                continue
            articles.setdefault(article.id, article)
            key_map.setdefault(article.id, []).extend(keys)
        linked = self.stories.assign(articles.values())
        added = self.store.add(linked, keys=key_map)
        fresh = set(added.added)
        self.stories.record(a for a in linked if a.id in fresh)
        result.new += len(added.added)
        result.seen += len(added.present)
        if result.undated:
            log.warning("source %s: %d new entries carry no date; dated by the fetch time",
                        source.name, result.undated)

    def _draft(self, source: Source, entry: FeedEntry, result: PollResult, now: dt.datetime,
               page_response: Response | None) -> Draft:
        text, title, day = entry.text, entry.title, None
        if entry.published is not None:
            day = entry.published.date()
        if entry.teaser:
            response = page_response or self.client.get(entry.url, accept=PAGE_ACCEPT)
            result.pages += page_response is None
            page = extract_page(response.text(), entry.url)
            text, title, day = page.text, title or page.title, day or page.date
        elif day is None and entry.url:
            try:  # the page may carry the date the entry lacks; the text we have already
                response = self.client.get(entry.url, accept=PAGE_ACCEPT)
                result.pages += 1
                page = extract_page(response.text(), entry.url)
                title, day = title or page.title, page.date
            except SourceError as error:
                log.info("source %s: no date from the page (%s)", source.name, error)
        if day is None:
            result.undated += 1
            zone = source.zone
            day = (now.astimezone(zone) if zone is not None else now).date()
        if not text.strip():
            raise InputError("the entry has no text", entry.url or entry.guid)
        return Draft(origin=entry.url or entry.guid, date=day, text=text[:MAX_ARTICLE_CHARS],
                     title=title, url=entry.url, source=source.name, language=source.language)


def _keys(entry: FeedEntry, scope: str) -> list[str]:
    """The keys an entry is known by before its page is read.

    A GUID is only unique within its feed, so it is scoped by the feed's URL; a URL and
    a full text are global.
    """
    keys = []
    if entry.guid:
        keys.append(f"guid:{scope} {entry.guid}")
    if entry.url:
        keys.append(url_key(entry.url))
    if not entry.teaser and entry.text:
        keys.append(text_key(entry.text))
    return keys
