"""Ingest benchmark: generated ~600-word articles through the real pipeline into a store.

Prints articles per second (parsing, cleaning, language detection, summarizing and
storing), seconds per 1,000 articles at the start and the end of the run, date lookup
latency (median and p99, on a fresh read-only store) and peak resident memory.

    .venv/bin/python bench/ingest.py --articles 10000
    .venv/bin/python bench/ingest.py --articles 100000

The ingest runs pinned to one core, in its own process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_corpus  # noqa: E402

from bot.collector import Collector  # noqa: E402
from summaries.article import Headline  # noqa: E402
from summaries.ingest import find_files, ingest  # noqa: E402
from summaries.store import Store  # noqa: E402


def run_ingest(corpus: Path, data: Path) -> None:
    """The measured part; runs in a child process and prints its figures."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    marks: list[float] = []
    start = time.perf_counter()
    with Store.open(data) as store:
        report = ingest(store, find_files([corpus]), on_article=lambda: marks.append(time.perf_counter()))
    elapsed = time.perf_counter() - start
    total = report.added + report.present
    per_k = [b - a for a, b in zip([start] + marks[999::1000], marks[999::1000])]
    print(f"ingested      {total:,} articles ({report.added:,} added, {len(report.rejected)} rejected)")
    print(f"rate          {total / elapsed:,.0f} articles/s ({elapsed:.1f} s in all)")
    if per_k:
        print(f"first 1,000   {per_k[0]:.2f} s")
        print(f"last 1,000    {per_k[-1]:.2f} s  ({per_k[-1] / per_k[0]:.2f}x the first)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory   {peak_mb:,.0f} MB resident")


def measure_lookups(data: Path, samples: int) -> None:
    """Three lookups by date: a page of the day's list (what /date reads), the whole
    list (headlines, what `newsbot articles` reads) and the day's full articles (bodies
    included, what digests and search read)."""
    with Store.open(data, writable=False) as store:
        days = store.dates()
        Collector().settle()  # the collector settings the bot runs with (bot/collector.py)
        rng = random.Random(11)
        picked = [rng.choice(days) for _ in range(samples)]

        def page(day: dt.date) -> list[Headline]:
            return store.headlines_page(day, 0, 5)[1]

        for name, lookup in (("date page", page), ("date lookup", store.headlines),
                             ("full day", store.by_date)):
            timings = []
            for day in picked:
                t0 = time.perf_counter()
                found = lookup(day)
                timings.append((time.perf_counter() - t0) * 1000)
                assert found, day
            store._folder.clear()  # noqa: SLF001 - the second lookup starts as cold as the first
            timings.sort()
            p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
            print(f"{name:<13} median {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms "
                  f"({samples} random days of {len(days)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, help="keep the corpus and store here")
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--lookups-only", action="store_true",
                        help="measure lookups on the store already in --workdir")
    parser.add_argument("--run-ingest", nargs=2, type=Path, metavar=("CORPUS", "DATA"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_ingest:
        run_ingest(*args.run_ingest)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        corpus, data = work / f"corpus-{args.articles}", work / f"data-{args.articles}"
        if not corpus.exists():
            t0 = time.perf_counter()
            write_corpus(corpus, args.articles)
            print(f"generated     {args.articles:,} articles in {time.perf_counter() - t0:.1f} s")
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        if not args.lookups_only:
            subprocess.run([sys.executable, __file__, "--run-ingest", str(corpus), str(data)],
                           check=True, env=env)
        measure_lookups(data, args.lookups)
        print(f"store size    {sum(f.stat().st_size for f in data.rglob('*') if f.is_file()) / 1e6:,.0f} MB"
              f" on disk; measured {dt.date.today()}")


if __name__ == "__main__":
    main()
