"""Errors a user of `summaries` can cause, each with a message fit to show as is.

    NewsbotError
    ├── InputError            an article or file that cannot be taken in
    └── StoreError            the data folder cannot be used
        ├── StoreLocked       another process is writing to it
        └── StoreFormatError  written by a newer newsbot, or not a newsbot store

`str(error)` is one short sentence for a person; the CLI prints it as is.
"""

from __future__ import annotations


class NewsbotError(Exception):
    """Base of every error newsbot reports to a person instead of a traceback."""


class InputError(NewsbotError):
    """An article, file or value that cannot be taken in; nothing was stored from it."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)


class StoreError(NewsbotError):
    """The data folder cannot be used."""


class StoreLocked(StoreError):
    """Another process holds the data folder's writer lock."""


class StoreFormatError(StoreError):
    """The data folder holds a format this version cannot read."""
