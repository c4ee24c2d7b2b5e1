"""The cyclic garbage collector of a running bot: settled after start-up, then on a timer.

What start-up loaded lives as long as the bot, so it is frozen: no pass scans it again.
The automatic passes are then turned off. With them on, a pass over the young objects
(the store's caches replace thousands per lookup) landed on about one request in a
hundred: 10-20 ms at 100,000 articles, and 70-140 ms while PTB's httpx client still
left its reference cycles behind (bench/bot_latency.py). Nothing on the request path
makes cycles now (bot/transport.py), so collecting on a timer frees nothing late that
matters: every minute the objects made since the last pass (about a millisecond), every
hour everything not frozen.
"""

from __future__ import annotations

import gc

from telegram.ext import ContextTypes

__all__ = ["Collector"]

INTERVAL = 60.0  # seconds between passes
FULL_EVERY = 60  # every 60th pass (hourly) is a full one


class Collector:
    """`settle()` once start-up is done, then run `collect` as a repeating job."""

    def __init__(self) -> None:
        self.passes = 0

    def settle(self) -> None:
        gc.collect()
        gc.freeze()
        gc.disable()

    async def collect(self, context: ContextTypes.DEFAULT_TYPE | None = None) -> int:
        """One timed pass; returns how many unreachable objects it found."""
        self.passes += 1
        return gc.collect(2 if self.passes % FULL_EVERY == 0 else 1)
