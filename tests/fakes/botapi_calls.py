"""The call log: every request as the fake answered it, and waiting for calls to arrive.

Tests wait on the log instead of sleeping: each recorded call notifies the shared
condition, so a wait ends as soon as the bot has done what the test expects.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Callable
from typing import Any

from tests.fakes.botapi_methods import canonical
from tests.fakes.botapi_records import (
    ApiError,
    Call,
    JsonDict,
    SentMessage,
    Upload,
    WaitTimeout,
)
from tests.fakes.botapi_state import BotApiState

__all__ = ["CallLog"]


class CallLog(BotApiState):
    """Recording and waiting, mixed into :class:`~tests.fakes.botapi.FakeBotApi`."""

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls in arrival order, optionally of one method (any letter case)."""
        wanted = canonical(method) if method else None
        with self._cond:
            return [call for call in self._calls if wanted is None or call.method == wanted]

    def mark(self) -> int:
        """The index the next call will get: pass it as ``since=`` to wait for new calls."""
        with self._cond:
            return self._next_call_index

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent, in order, each as it looks after its edits."""
        with self._cond:
            return [
                self._messages[key].snapshot()
                for key in self._sent
                if chat_id is None or key[0] == chat_id
            ]

    def last_message(self, chat_id: int | None = None) -> SentMessage:
        """The bot's latest message (to ``chat_id``); AssertionError if there is none."""
        messages = self.sent_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot sent no message to {chat_id or 'any chat'}")
        return messages[-1]

    def wait_for(
        self,
        what: str | Callable[[Call], bool],
        count: int = 1,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> list[Call]:
        """Block until ``count`` calls (from index ``since``) match; returns them all.

        ``what`` is a method name or a predicate on :class:`Call`. Woken by each call, so
        ``timeout`` is only a failure guard. Do not call it from the bot's event loop:
        use :meth:`wait_for_async` there.
        """
        matches: Callable[[Call], bool]
        if isinstance(what, str):
            method = label = canonical(what)

            def matches(call: Call) -> bool:
                return call.method == method

        else:
            matches, label = what, getattr(what, "__name__", repr(what))

        def found() -> list[Call]:
            # Calls are kept in index order: start at `since` instead of scanning them all
            # on every wake-up (a benchmark's log holds thousands).
            start = bisect.bisect_left(self._calls, since, key=lambda call: call.index)
            return [call for call in self._calls[start:] if matches(call)]

        with self._cond:
            if self._cond.wait_for(lambda: len(found()) >= count, timeout):
                return found()
            seen = ", ".join(
                f"{c.method}{'' if c.ok else f'->{c.error_code}'}" for c in self._calls
            )
            raise WaitTimeout(
                f"waited {timeout}s for {count} call(s) matching {label}, found "
                f"{len(found())}; calls so far: [{seen}]"
            )

    async def wait_for_async(
        self,
        what: str | Callable[[Call], bool],
        count: int = 1,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> list[Call]:
        """:meth:`wait_for` without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for, what, count, timeout, since=since)

    def wait_for_poll(self, timeout: float = 5.0) -> None:
        """Block until a getUpdates long poll is waiting (to test that injection wakes it)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._pollers_waiting > 0, timeout):
                raise WaitTimeout(f"no getUpdates long poll began within {timeout}s")

    def clear(self) -> None:
        """Forget recorded calls and the sent-message list; chats, ids and files remain."""
        with self._cond:
            self._calls.clear()
            self._sent.clear()

    def _record(
        self,
        method: str,
        params: JsonDict,
        files: dict[str, Upload],
        *,
        ok: bool,
        result: Any = None,
        error: ApiError | None = None,
    ) -> None:
        with self._cond:
            self._calls.append(
                Call(
                    index=self._next_call_index,
                    method=method,
                    params=params,
                    files=files,
                    ok=ok,
                    result=result,
                    error_code=error.code if error else None,
                    description=error.description if error else None,
                )
            )
            self._next_call_index += 1
            self._cond.notify_all()
