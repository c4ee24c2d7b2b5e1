"""Fan-out of one digest to many subscribers against a loopback API enforcing a flood limit.

For each rate: a lean loopback Bot API (bench/flood_api.py, another process) refuses with
429 any send beyond the rate in a sliding second; the real Deliverer, telegram.Bot and
ledger (fdatasync included, in a temp folder) send one ~1,500-character digest to each
subscriber. Prints total time, its ratio to subscribers / rate (target ≤ 1.05), the 429
answers (target 0) and the bot process's CPU time per message. The bot talks through
bot/transport.py's LeanRequest unless `--transport httpx` (PTB's HTTPXRequest: about
2 ms of CPU per message here, so it cannot reach 1,000/s).

    .venv/bin/python bench/fanout.py                      # 10,000 at 30/s (~5.5 min), then 1,000/s
    .venv/bin/python bench/fanout.py --rate 1000 --subscribers 10000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery import Deliverer, Outgoing
from bot.transport import LeanRequest
from summaries.ledger import Ledger

DAY = dt.date(2026, 3, 29)
SINCE = dt.datetime(2026, 3, 28, 6, tzinfo=dt.UTC)
UNTIL = dt.datetime(2026, 3, 29, 6, tzinfo=dt.UTC)


def digest_text() -> str:
    """About 1,500 characters of Telegram HTML: five stories with titles and links."""
    story = ("<b>Council approves the riverside housing plan</b>\n"
             "The city council voted 7 to 2 on Tuesday to approve 1,200 homes along the "
             "river, after a debate about flood defences &amp; traffic that ran past midnight. "
             '<a href="https://example.org/news/2026/03/28/housing">Read more</a>\n\n')
    return (story * 5)[:1500].rsplit("\n\n", 1)[0]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def fan_out(port: int, rate: int, subscribers: int, concurrency: int, data: Path,
                  transport: str) -> tuple[float, float]:
    text = digest_text()
    items = (Outgoing(chat, DAY, (text,), SINCE, UNTIL) for chat in range(1, subscribers + 1))
    request: HTTPXRequest | LeanRequest
    if transport == "httpx":
        request = HTTPXRequest(connection_pool_size=Deliverer.pool_size(concurrency))
    else:
        request = LeanRequest(connection_pool_size=Deliverer.pool_size(concurrency))
    with Ledger.open(data, today=DAY) as ledger:
        async with Bot("1:bench", base_url=f"http://127.0.0.1:{port}/bot",
                       request=request) as bot:
            deliverer = Deliverer(bot, ledger, rate=rate, paid_broadcast=rate > 30,
                                  concurrency=concurrency)
            start, cpu = time.perf_counter(), cpu_seconds()
            report = await deliverer.deliver(items)
            elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            deliverer.close()
    assert report.sent_messages == subscribers, report
    return elapsed, cpu


def run(rate: int, subscribers: int, concurrency: int, transport: str) -> None:
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "flood_api.py"),
                               "--rate", str(rate)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory() as folder:
            elapsed, cpu = asyncio.run(fan_out(port, rate, subscribers, concurrency, Path(folder),
                                          transport))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats") as answer:
            stats = json.load(answer)
    finally:
        server.kill()
        server.wait()
    ideal = subscribers / rate
    print(f"{transport}: rate {rate}/s, {subscribers} subscribers: {elapsed:.2f} s "
          f"(ideal {ideal:.2f} s, ratio {elapsed / ideal:.3f}), "
          f"429 answers {stats['refused']}, busiest second {stats['max_per_second']}, "
          f"bot CPU {cpu / subscribers * 1e6:.0f} us/message", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, action="append",
                        help="messages per second (repeatable; default: 30 and 1000)")
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--transport", choices=("lean", "httpx"), default="lean",
                        help="bot/transport.py's LeanRequest, or PTB's HTTPXRequest")
    args = parser.parse_args()
    for rate in args.rate or [30, 1000]:
        run(rate, args.subscribers, args.concurrency, args.transport)


if __name__ == "__main__":
    main()
