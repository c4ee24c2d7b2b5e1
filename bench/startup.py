"""Start-up time of the bot with many digest subscriptions.

Writes N subscriptions (times every 15 minutes, 40 time zones) into a fresh data folder,
then times what a restart does before it serves anyone: building the application, the
Bot API handshake against the loopback fake, loading every subscription, building the
schedule, and the first digest tick deciding who is due (nothing is, by construction).

    .venv/bin/python bench/startup.py --subscriptions 100000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.app import build_application  # noqa: E402
from bot.config import Config, StoreConfig, TelegramConfig  # noqa: E402
from bot.services import KEY  # noqa: E402
from bot.subscriptions import Subscription  # noqa: E402
from summaries.records import Records  # noqa: E402
from summaries.store import Store  # noqa: E402
from tests.fakes import FakeBotApi  # noqa: E402


def write_subscriptions(data: Path, total: int) -> None:
    zones = sorted(zoneinfo.available_timezones())
    rng = random.Random(3)
    picked = rng.sample([z for z in zones if "/" in z and not z.startswith("Etc")], 40)
    records = {}
    for chat_id in range(1, total + 1):
        at = dt.time(rng.randrange(24), rng.choice((0, 15, 30, 45)))
        sub = Subscription(chat_id, at, rng.choice(picked), count=rng.choice((3, 5, 7)),
                           last_until=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
        records[chat_id] = sub.to_record()
    with Store.open(data) as store:
        Records(store.table("subscriptions")).update_many(records)


async def start(data: Path, fake: FakeBotApi) -> dict[str, float]:
    marks = {"start": time.perf_counter()}
    config = Config(store=StoreConfig(data_dir=data),
                    telegram=TelegramConfig(token=fake.token, api_base_url=fake.url))
    app = build_application(config)
    marks["built"] = time.perf_counter()
    await app.initialize()
    marks["handshake"] = time.perf_counter()
    await app.post_init(app)  # type: ignore[misc]
    marks["loaded"] = time.perf_counter()
    digests = app.bot_data[KEY].digests
    due = list(digests.schedule.due(dt.datetime.now(dt.timezone.utc), dt.timedelta(0)))
    marks["ticked"] = time.perf_counter()
    assert not due and len(digests.subscriptions) > 0
    await app.shutdown()
    await app.post_shutdown(app)  # type: ignore[misc]
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as fake:
        data = Path(tmp) / "data"
        t0 = time.perf_counter()
        write_subscriptions(data, args.subscriptions)
        print(f"wrote         {args.subscriptions:,} subscriptions in {time.perf_counter() - t0:.1f} s")
        marks = asyncio.run(start(data, fake))
        steps = list(marks.items())
        for (_, before), (name, after) in zip(steps, steps[1:], strict=False):
            print(f"{name:<13} {after - before:.3f} s")
        print(f"start-up      {marks['ticked'] - marks['start']:.2f} s in all "
              f"(target at most 2 s)")


if __name__ == "__main__":
    main()
