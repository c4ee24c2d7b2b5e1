"""Sources of articles beyond files: RSS/Atom feeds and article pages over HTTP.

Synchronous like the rest of `summaries`; the bot runs `Poller.poll` off its event loop
from one scheduled job per source. Each third-party library has one module here:
httpx in `http`, feedparser in `feeds`, trafilatura in `pages`.

    registry = SourceRegistry(store, configured_sources)
    with HttpClient(FetchSettings(timeout_seconds=20)) as client:
        poller = Poller(store, registry, client)
        for source in registry.sources():
            print(poller.poll(source).line())

Errors (see errors.py): SourceError > FetchError, FeedError, PageError.

Names are imported on first use, so reading the config (which needs only `Source`)
does not load feedparser and trafilatura (0.3 s) for every `newsbot` command.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summaries.sources.errors import FeedError, FetchError, PageError, SourceError
    from summaries.sources.http import USER_AGENT, FetchSettings, HttpClient
    from summaries.sources.opml import export_opml, import_opml
    from summaries.sources.poll import Poller, PollResult
    from summaries.sources.registry import (
        Source,
        SourceRegistry,
        SourceState,
        SourceStatus,
    )
    from summaries.sources.stories import StoryIndex
    from summaries.sources.urls import canonical_url, is_http_url

_HOMES = {
    "SourceError": "errors", "FetchError": "errors", "FeedError": "errors",
    "PageError": "errors", "USER_AGENT": "http", "FetchSettings": "http",
    "HttpClient": "http", "export_opml": "opml", "import_opml": "opml", "Poller": "poll",
    "PollResult": "poll", "Source": "registry", "SourceRegistry": "registry",
    "SourceState": "registry", "SourceStatus": "registry", "StoryIndex": "stories",
    "canonical_url": "urls", "is_http_url": "urls",
}  # fmt: skip

__all__ = [
    "FeedError",
    "FetchError",
    "FetchSettings",
    "HttpClient",
    "PageError",
    "PollResult",
    "Poller",
    "Source",
    "SourceError",
    "SourceRegistry",
    "SourceState",
    "SourceStatus",
    "StoryIndex",
    "USER_AGENT",
    "canonical_url",
    "export_opml",
    "import_opml",
    "is_http_url",
]


def __getattr__(name: str) -> Any:
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module 'summaries.sources' has no attribute {name!r}")
    return getattr(importlib.import_module(f"summaries.sources.{module}"), name)
