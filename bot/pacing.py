"""Telegram's send limits as a schedule: one grid for all sends, a pause after a 429,
spacing per chat and per group.

Sends take turns on an even grid at `rate` less a 3 % margin. A turn is taken right
before the request is written, not when the send is queued: on a busy loop the time
between the two varies by tens of milliseconds, and pacing the queueing let 429s through
(measured). A send that wakes more than 10 ms after its turn takes a new one instead of
crowding the turns after it, so any sliding second holds at most rate × 0.97 × 1.01 + 1
sends; the rest of the margin (about 20 ms) absorbs network and server jitter.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

SAFETY = 0.03  # pace 3 % under every limit
MAX_LAG = 0.010  # how late after its turn a send may still leave


class Pacer:
    """Turns for sends; the limits are Telegram's, so one Pacer outlives many fan-outs."""

    def __init__(self, *, rate: float, per_chat_interval: float, group_per_minute: int,
                 sleep: Callable[[float], Awaitable[None]],
                 monotonic: Callable[[], float]) -> None:
        self._interval = 1.0 / (rate * (1 - SAFETY))
        self._chat_gap = per_chat_interval * (1 + SAFETY)
        self._group_limit, self._group_window = group_per_minute, 60.0 * (1 + SAFETY)
        self._sleep, self._now = sleep, monotonic
        self._next = 0.0
        self._paused_until = 0.0
        self._last: dict[int, float] = {}
        self._groups: dict[int, deque[float]] = {}

    async def turn(self, chat_id: int, is_group: bool) -> None:
        """Wait for this send's turn on the grid (and out any pause); send right after."""
        while True:
            now = self._now()
            # Behind by up to MAX_LAG: keep the grid and catch up. Further behind (or idle):
            # start afresh from now, or the backlog would leave in one burst.
            at = max(self._next if self._next >= now - MAX_LAG else now, self._paused_until)
            self._next = at + self._interval
            if at > now:
                await self._sleep(at - now)
            now = self._now()
            # A send that wakes more than MAX_LAG after its turn would crowd the turns
            # after it into one sliding second (the 429s seen at 30/s): it takes a new one.
            if now - at <= MAX_LAG and self._paused_until <= now:
                break
        now = self._now()
        self._last[chat_id] = now
        if is_group:
            self._groups.setdefault(chat_id, deque(maxlen=self._group_limit)).append(now)

    def earliest(self, chat_id: int, is_group: bool) -> float:
        """When the chat may get its next message: a second after the last, 20 a minute."""
        at = self._last.get(chat_id, -1e9) + self._chat_gap
        sends = self._groups.get(chat_id)
        if is_group and sends is not None and len(sends) >= self._group_limit:
            at = max(at, sends[0] + self._group_window)
        return at

    def pause(self, seconds: float) -> None:
        """Telegram said 429: no send goes out for `seconds`."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def forget_idle(self) -> None:
        """Drop chats whose spacing no longer matters, so 100,000 chats do not pile up."""
        now = self._now()
        self._last = {chat: at for chat, at in self._last.items() if at + self._chat_gap > now}
        self._groups = {chat: sends for chat, sends in self._groups.items()
                        if sends and sends[-1] + self._group_window > now}
