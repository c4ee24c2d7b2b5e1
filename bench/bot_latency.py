"""Handler latency through the loopback fake Bot API: /date and /article at archive scale.

Measures, for each request, the time from the update being offered to the bot (its long
poll wakes up) until the fake API receives the bot's reply: HTTP both ways, PTB,
the store lookup off the event loop, and rendering. The bot is `newsbot run` in its own
process; /help, which reads no store, shows the floor. Prints median and p99.

Requests start once the bot logs that it is ready (its start-up work in the background,
dateparser's tables, is done); `--from-start` starts them at its first long poll instead,
to show what readers see in that first second. The fake runs in this process with its
garbage collector off while it measures: its pauses are the instrument's, not the bot's.

    .venv/bin/python bench/bot_latency.py --data DATA   # a store made by bench/ingest.py --workdir
    .venv/bin/python bench/bot_latency.py --articles 100000   # builds one first (lead summaries)
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from generate import articles as generated  # noqa: E402

from summaries.corpus import Draft, parse_date  # noqa: E402
from summaries.ingest import build_article  # noqa: E402
from summaries.store import Store  # noqa: E402
from tests.fakes import FakeBotApi  # noqa: E402


def build_store(data: Path, total: int) -> None:
    """A store of `total` generated articles; lead summaries keep the set-up quick."""
    with Store.open(data) as store:
        batch = []
        for n, record in enumerate(generated(total), 1):
            draft = Draft(origin="bench", date=parse_date(record["date"]), text=record["text"],
                          source=record["source"], language="en")
            batch.append(build_article(draft, algorithm="lead"))
            if len(batch) == 500:
                store.add(batch)
                batch = []
            if n % 10_000 == 0:
                print(f"  built {n:,} articles", flush=True)
        store.add(batch)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def resident_mb(pid: int) -> float:
    """A process's resident memory, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def watch_for_ready(stream: IO[str], ready: threading.Event) -> None:
    """Read the bot's log to its end (a full pipe would stall it), noting "ready"."""
    for line in stream:
        if "bot.app: ready" in line:
            ready.set()


def measure(data: Path, requests: int, from_start: bool) -> None:
    with Store.open(data, writable=False) as store:
        days = store.dates()
        rng = random.Random(5)
        sample_days = [rng.choice(days) for _ in range(requests)]
        ids = [rng.choice(store.by_date(rng.choice(days))).id for _ in range(requests)]
        total = store.count()
    with FakeBotApi() as fake, tempfile.TemporaryDirectory() as tmp:
        # The bot runs as operators run it, `newsbot run`, in a process of its own: the
        # fake API here and the bot must not share one interpreter lock.
        config = Path(tmp) / "newsbot.toml"
        config.write_text(f'[store]\ndata_dir = "{data}"\n[telegram]\napi_base_url = "{fake.url}"\n')
        env = dict(os.environ, TELEGRAM_BOT_TOKEN=fake.token)
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run", "--config", str(config)],
                               cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        ready = threading.Event()
        assert bot.stderr is not None
        threading.Thread(target=watch_for_ready, args=(bot.stderr, ready), daemon=True).start()
        try:
            fake.wait_for("setMyCommands", timeout=60)
            if not from_start and not ready.wait(60):
                raise SystemExit("the bot never said it was ready")
            results: dict[str, list[float]] = {"/date": [], "/article": [], "/help": []}
            first: float | None = None
            chat = 100
            gc.collect()
            gc.freeze()
            gc.disable()
            resident = [resident_mb(bot.pid)]
            for day, article_id in zip(sample_days, ids, strict=True):
                for command, argument in (("/date", f"{day:%Y-%m-%d}"), ("/article", article_id),
                                          ("/help", "")):
                    chat += 1
                    fake.wait_for_poll(timeout=30)
                    mark = fake.mark()
                    start = time.perf_counter()
                    fake.send_text(chat, f"{command} {argument}".strip())
                    fake.wait_for(lambda c, chat=chat: c.method == "sendMessage"
                                  and c.chat_id == chat, timeout=30, since=mark)
                    elapsed = (time.perf_counter() - start) * 1000
                    first = elapsed if first is None else first
                    results[command].append(elapsed)
            resident.append(resident_mb(bot.pid))
        finally:
            gc.enable()
            bot.send_signal(signal.SIGINT)
            bot.wait(60)
    print(f"archive       {total:,} articles over {len(days)} days")
    when = "the bot's first long poll" if from_start else "the bot said it was ready"
    print(f"first request {first or 0.0:.1f} ms (/date; requests began at {when})")
    print(f"bot memory    {resident[0]:.0f} MB resident before, {resident[-1]:.0f} MB after "
          f"(its automatic collector is off: a leak would show here)")
    for command, timings in results.items():
        print(f"{command:<13} median {statistics.median(timings):.1f} ms, "
              f"p99 {percentile(timings, 0.99):.1f} ms ({len(timings)} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="an existing store (else one is built)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=500, help="rounds measured")
    parser.add_argument("--from-start", action="store_true",
                        help="begin at the bot's first long poll, not once it is ready")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "data"
            print(f"building a store of {args.articles:,} articles…", flush=True)
            build_store(data, args.articles)
        measure(data, args.requests, args.from_start)


if __name__ == "__main__":
    main()
