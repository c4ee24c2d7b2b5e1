"""Logging for the bot: one format, quiet HTTP clients, and the token never written.

httpx logs every request URL at INFO, and Bot API URLs carry the token; a filter on
the root handlers replaces it wherever it appears, whoever logs it.
"""

from __future__ import annotations

import logging
import sys


class RedactToken(logging.Filter):
    """Replaces the bot token in every record's final message."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self._token:
            message = record.getMessage()
            if self._token in message:
                record.msg, record.args = message.replace(self._token, "<token>"), None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text and self._token in record.exc_text:
                record.exc_text = record.exc_text.replace(self._token, "<token>")
        return True


def setup_logging(level: int = logging.INFO, token: str = "") -> None:
    """Log to stderr with times; hide per-request chatter from the HTTP client."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
