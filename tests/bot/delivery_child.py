"""A fan-out in a process of its own, for the kill -9 test (test_delivery_crash.py).

    python -m tests.bot.delivery_child DATA BASE_URL TOKEN CHATS CONCURRENCY

Sends chat c (1..CHATS) a digest of 1 + c % 2 parts, each text naming chat and part, and
prints the report as JSON when done. The same items on every run: a restart resumes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery import Deliverer, Outgoing
from summaries.ledger import Ledger

DAY = dt.date(2026, 3, 29)
SINCE = dt.datetime(2026, 3, 28, 6, tzinfo=dt.UTC)
UNTIL = dt.datetime(2026, 3, 29, 6, tzinfo=dt.UTC)


def parts_of(chat: int) -> int:
    return 1 + chat % 2


def items(chats: int) -> list[Outgoing]:
    return [Outgoing(chat, DAY, tuple(f"chat {chat} part {p}" for p in range(parts_of(chat))),
                     SINCE, UNTIL) for chat in range(1, chats + 1)]


async def main(data: Path, base_url: str, token: str, chats: int, concurrency: int) -> None:
    request = HTTPXRequest(connection_pool_size=Deliverer.pool_size(concurrency))
    with Ledger.open(data, today=DAY) as ledger:
        async with Bot(token, base_url=base_url, request=request) as bot:
            deliverer = Deliverer(bot, ledger, rate=5000, concurrency=concurrency)
            try:
                report = await deliverer.deliver(items(chats))
            finally:
                deliverer.close()
    print(json.dumps(dataclasses.asdict(report)), flush=True)


if __name__ == "__main__":
    folder, url, bot_token, count, width = sys.argv[1:6]
    asyncio.run(main(Path(folder), url, bot_token, int(count), int(width)))
