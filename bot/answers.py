"""What Telegram's error answers mean for a fan-out (see the table in bot/delivery.py).

PTB turns answers into exceptions; these helpers read them: whether the chat is gone
for good, how long a flood wait lasts, and whether a failed request may still have
reached Telegram.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

__all__ = ["call_back", "is_gone", "may_have_arrived", "retry_seconds"]

_LOG = logging.getLogger(__name__)
# 400 answers that mean the chat is gone, like 403: sending later cannot help.
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was kicked",
         "not a member", "have no rights to send", "chat_write_forbidden")


async def call_back(callback: Callable[[int, Any], Awaitable[None]] | None, *args: Any) -> None:
    if callback is None:
        return
    try:
        await callback(*args)
    except Exception:
        _LOG.exception("a delivery callback failed")


def is_gone(error: BadRequest) -> bool:
    text = error.message.lower()
    return any(reason in text for reason in _GONE)


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int becomes a timedelta
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def may_have_arrived(error: NetworkError) -> bool:
    """False only when the request surely never reached Telegram, or it answered an error."""
    cause = error.__cause__
    if cause is None:
        return isinstance(error, TimedOut)  # PTB raises 5xx answers without a cause
    return not isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
