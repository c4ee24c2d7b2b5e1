"""Errors of reading sources, each one sentence fit to show a person as is.

    NewsbotError
    └── SourceError           a source or page could not be read; nothing was stored from it
        ├── FetchError        the HTTP side: status, timeout, too large, redirect loop
        ├── FeedError         not a feed, or malformed XML
        └── PageError         an article page without main text

The poller records `str(error)` as the source's last error and logs it.
"""

from __future__ import annotations

from summaries.errors import NewsbotError


class SourceError(NewsbotError):
    """A source (feed or page) could not be read; nothing was stored from it."""

    def __init__(self, reason: str, url: str = "") -> None:
        self.reason = reason
        self.url = url
        super().__init__(f"{url}: {reason}" if url else reason)


class FetchError(SourceError):
    """The request failed: a network error, an HTTP error status, a timeout, a size or
    redirect limit."""


class FeedError(SourceError):
    """The response is not a feed newsbot can read (HTML, malformed XML, no entries)."""


class PageError(SourceError):
    """An article page from which no main text could be extracted."""
