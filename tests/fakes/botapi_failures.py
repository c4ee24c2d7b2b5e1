"""Failure injection: scripted errors, slow answers and Telegram's flood limit.

The bot's error handling (429 back-off, a user who blocked the bot, a group that became
a supergroup) only runs when Telegram misbehaves, so tests script the misbehaviour here.
"""

from __future__ import annotations

import time
from collections import deque

from tests.fakes.botapi_methods import canonical
from tests.fakes.botapi_records import ApiError, JsonDict
from tests.fakes.botapi_state import BotApiState, FailRule

__all__ = ["FailureRules"]

# Only sends count against the flood limit, as on Telegram.
_RATE_LIMITED = {"sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup"}


class FailureRules(BotApiState):
    """Failure injection, mixed into :class:`~tests.fakes.botapi.FakeBotApi`."""

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``) with an error."""
        parameters: JsonDict = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        if description is None:
            description = _default_description(error_code, retry_after, migrate_to_chat_id)
        rule = FailRule(canonical(method), error_code, description, parameters, times, chat_id)
        with self._cond:
            self._fail_rules.append(rule)

    def slow(self, method: str, seconds: float) -> None:
        """Delay every answer to ``method`` by ``seconds`` (0 removes the delay)."""
        with self._cond:
            if seconds > 0:
                self._delays[canonical(method)] = seconds
            else:
                self._delays.pop(canonical(method), None)

    def slow_next(
        self, method: str, seconds: float, *, times: int = 1, chat_id: int | str | None = None
    ) -> None:
        """Delay the next ``times`` answers to ``method`` (to ``chat_id``) by ``seconds``.

        The call is still carried out after the delay, as Telegram does when the bot's
        read timeout fires first: the message arrives though the bot saw a timeout.
        """
        with self._cond:
            self._slow_rules.append([canonical(method), seconds, times, chat_id])

    def refused(self, error_code: int = 429, method: str = "sendMessage") -> int:
        """How many calls of ``method`` were answered with ``error_code``."""
        wanted = canonical(method)
        with self._cond:
            return sum(1 for c in self._calls if c.method == wanted and c.error_code == error_code)

    def rate_limit(
        self, per_second: float | None, *, retry_after: int = 1, per_chat: bool = False
    ) -> None:
        """Answer 429 to sends beyond ``per_second`` in any 1 s window (None turns it off)."""
        with self._cond:
            self._rate = None if per_second is None else (per_second, retry_after, per_chat)
            self._rate_windows.clear()

    def _delay(self, method: str, params: JsonDict) -> None:
        with self._cond:
            seconds = self._delays.get(method, 0.0)
            for rule in self._slow_rules:
                if rule[0] == method and rule[3] in (None, params.get("chat_id")):
                    seconds += rule[1]
                    rule[2] -= 1
                    if rule[2] <= 0:
                        self._slow_rules.remove(rule)
                    break
        if seconds:
            self._stop_event.wait(seconds)

    def _inject_failures(self, method: str, params: JsonDict) -> None:
        """Raise the error a rule or the flood limit calls for; the caller holds ``_cond``."""
        chat_id = params.get("chat_id")
        for rule in self._fail_rules:
            if rule.method == method and (rule.chat_id is None or rule.chat_id == chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._fail_rules.remove(rule)
                raise ApiError(rule.error_code, rule.description, dict(rule.parameters))
        if self._rate is None or method not in _RATE_LIMITED:
            return
        per_second, retry_after, per_chat = self._rate
        window = self._rate_windows.setdefault(chat_id if per_chat else None, deque())
        now = time.monotonic()
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= per_second:
            raise ApiError(429, _too_many_requests(retry_after), {"retry_after": retry_after})
        window.append(now)


def _too_many_requests(retry_after: int) -> str:
    return f"Too Many Requests: retry after {retry_after}"


def _default_description(code: int, retry_after: int | None, migrate_to: int | None) -> str:
    if retry_after is not None:
        return _too_many_requests(retry_after)
    if migrate_to is not None:
        return "Bad Request: group chat was upgraded to a supergroup chat"
    return {
        400: "Bad Request: chat not found",
        403: "Forbidden: bot was blocked by the user",
        429: _too_many_requests(1),
    }.get(code, "Internal Server Error")
