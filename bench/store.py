"""Micro-benchmark of the article store: ingest cost per article, then query latencies.

    .venv/bin/python bench/store.py --articles 100000 --per-day 137 --words 600

Generated articles draw words from a Zipf-like vocabulary so day files and Bloom filters
have realistic sizes. "Cold" queries run on a freshly opened read-only store (empty
in-memory caches; the operating system's page cache is warm, as on a running bot).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from summaries.article import Article, RankedSentence, make_article_id
from summaries.partition import decode_partition
from summaries.store import Store

START = dt.date(2024, 1, 1)


def vocabulary(size: int, rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(size)]


def articles(total: int, per_day: int, n_words: int, seed: int) -> Iterator[Article]:
    rng = random.Random(seed)
    vocab = vocabulary(40_000, rng)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    for i in range(total):
        day = START + dt.timedelta(days=i // per_day)
        body = rng.choices(vocab, cum_weights=weights, k=n_words)
        sentences = [" ".join(body[j : j + 20]).capitalize() + "." for j in range(0, n_words, 20)]
        text = " ".join(sentences)
        yield Article(
            id=make_article_id(day, text),
            date=day,
            title=" ".join(rng.choices(vocab, cum_weights=weights, k=8)).capitalize(),
            text=text,
            language="en",
            ranked=tuple(RankedSentence(p, sentences[p]) for p in range(min(5, len(sentences)))),
            source="bench",
            url=f"https://example.org/{i}",
        )


def batches(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50 * 1e3:7.2f} ms  p99 {p99 * 1e3:7.2f} ms  max {ordered[-1] * 1e3:7.2f} ms"


def cold(data: Path, runs: int, query: Callable[[Store, int], Any]) -> str:
    """Wall time of `query` on fresh stores, next to a control: parsing one day file
    already in memory, timed the same way. The control does no I/O and no store logic,
    so on a shared machine its tail shows how much of a query's tail is the machine."""
    sample = next((data / "articles").glob("*/*.json"))
    raw = sample.read_bytes()
    wall, control = [], []
    for run in range(runs):
        with Store.open(data, writable=False) as store:
            started = time.perf_counter()
            query(store, run)
            wall.append(time.perf_counter() - started)
        started = time.perf_counter()
        decode_partition(sample, raw)
        control.append(time.perf_counter() - started)
    return f"{percentiles(wall)}\n{'control':>16} {percentiles(control)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--per-day", type=int, default=137)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--data", type=Path, default=None, help="default: a temp folder")
    parser.add_argument("--queries-only", action="store_true", help="reuse --data as it is")
    parser.add_argument(
        "--gc-freeze", action="store_true",
        help="gc.freeze() before the queries, as a long-running bot may do after startup: "
        "CPython's occasional full collection then skips the startup objects",
    )
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="newsbot-bench-")) / "data"

    if not args.queries_only:
        ingest(data, args)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    queries(data)


def ingest(data: Path, args: argparse.Namespace) -> None:
    """Add the generated archive in batches, timing each `add`."""
    per_article: list[float] = []  # seconds per article of each batch
    with Store.open(data) as store:
        for batch in batches(articles(args.articles, args.per_day, args.words, 1), args.batch):
            started = time.perf_counter()
            store.add(batch)
            per_article += [(time.perf_counter() - started) / len(batch)] * len(batch)
        size = store.size_bytes()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first, last = per_article[:1000], per_article[-1000:]
    print(f"ingested {len(per_article):,} articles into {data} ({size / 1e6:,.0f} MB)")
    print(f"add per article: first 1,000 {statistics.mean(first) * 1e3:.3f} ms, "
          f"last 1,000 {statistics.mean(last) * 1e3:.3f} ms, "
          f"overall {statistics.mean(per_article) * 1e3:.3f} ms")
    window = max(len(per_article) // 10, 1)
    print("add per article by tenth of the ingest (ms):", " ".join(
        f"{statistics.mean(per_article[i : i + window]) * 1e3:.3f}"
        for i in range(0, len(per_article), window)))
    print(f"peak RSS so far (includes article generation): {peak_mb:.0f} MB")


def queries(data: Path) -> None:
    """Latencies of each query kind on the finished archive."""
    with Store.open(data, writable=False) as store:
        days = store.dates()
        ids = [a.id for day in random.Random(2).sample(days, 20) for a in store.by_date(day)]
        started = time.perf_counter()
        total = store.count()
        print(f"count() cold {total:,} in {(time.perf_counter() - started) * 1e3:.1f} ms")
    rng = random.Random(3)
    day_sample = [rng.choice(days) for _ in range(200)]
    id_sample = [rng.choice(ids) for _ in range(200)]
    print("by_date cold   ", cold(data, 200, lambda s, i: s.by_date(day_sample[i])))
    print("get cold       ", cold(data, 200, lambda s, i: s.get(id_sample[i])))
    print("latest(20) cold", cold(data, 50, lambda s, i: s.latest(20)))
    print("dates() cold   ", cold(data, 50, lambda s, i: s.dates()))
    with Store.open(data, writable=False) as store:
        sample = store.by_date(days[len(days) // 3])[0]
        rare = max(sample.text.casefold().split(), key=len).strip(".")
        common = sample.text.split()[1].casefold().strip(".")
        for label, query in [("rare word", rare), ("common word", common),
                             ("two words", f"{rare} {common}"), ("absent word", "zzzzqqq")]:
            times = []
            for _ in range(5):
                started = time.perf_counter()
                found = store.search(query)
                times.append(time.perf_counter() - started)
            print(f"search {label:12} {query!r:24} {len(found):3} hits: first "
                  f"{times[0] * 1e3:8.1f} ms, then {min(times[1:]) * 1e3:8.1f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
