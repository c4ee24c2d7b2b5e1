"""Loopback fakes of the services newsbot talks to, for tests that use real clients."""

from __future__ import annotations

from tests.fakes.botapi import (
    DEFAULT_TOKEN,
    Call,
    FakeBotApi,
    HtmlParseError,
    Keyboard,
    SentMessage,
    StoredFile,
    Upload,
    WaitTimeout,
    parse_html,
    utf16_len,
)

__all__ = [
    "DEFAULT_TOKEN",
    "Call",
    "FakeBotApi",
    "HtmlParseError",
    "Keyboard",
    "SentMessage",
    "StoredFile",
    "Upload",
    "WaitTimeout",
    "parse_html",
    "utf16_len",
]
