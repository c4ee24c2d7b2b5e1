"""Feed polling benchmark: 50 feeds of 50 entries each from a loopback news site.

Prints the wall time of the first poll (fetch, parse, summarize, store every entry) and
of a second poll with nothing new, with the number of summarizer calls each made:

    .venv/bin/python bench/feeds.py [--feeds 50] [--entries 50]

The second poll is measured three ways: the site answers conditional GET (304), the
site ignores it (200, the same body), and the same after a restart (no memory of the
body's digest, so every feed is parsed and every entry checked against the key index).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summaries.article import Article
from summaries.corpus import Draft
from summaries.ingest import build_article
from summaries.sources.http import FetchSettings, HttpClient
from summaries.sources.poll import Poller
from summaries.sources.registry import Source, SourceRegistry
from summaries.store import Store
from tests.fakes.newssite import Entry, NewsSite

WORDS = ("council harbour ferry bridge budget vote residents engineers islands service "
         "minister report plan weather storm school hospital court police market").split()


def _text(feed: int, entry: int) -> str:
    # ~250 words, different for every entry, so no two are duplicates or one story.
    words = [WORDS[(feed * 7 + entry * 13 + i * i) % len(WORDS)] for i in range(240)]
    sentences = [" ".join(words[i : i + 12]).capitalize() + f" {feed}-{entry}-{i}."
                 for i in range(0, 240, 12)]
    return "".join(f"<p>{' '.join(sentences[i : i + 4])}</p>" for i in range(0, 20, 4))


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, draft: Draft) -> Article:
        self.calls += 1
        return build_article(draft)


def _poll(store: Store, sources: list[Source], client: HttpClient, builder: Counting,
          poller: Poller | None = None) -> tuple[float, int, int, Poller]:
    poller = poller or Poller(store, SourceRegistry(store), client, build=builder)
    calls = builder.calls
    start = time.perf_counter()
    results = poller.poll_all(sources)
    elapsed = time.perf_counter() - start
    failed = [r.line() for r in results if not r.ok]
    if failed:
        raise SystemExit("\n".join(failed))
    return elapsed, sum(r.new for r in results), builder.calls - calls, poller


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--entries", type=int, default=50)
    args = parser.parse_args()
    with NewsSite() as site, tempfile.TemporaryDirectory() as tmp, \
            HttpClient(FetchSettings()) as client:
        for validators in (True, False):
            sources = []
            for f in range(args.feeds):
                entries = [Entry(f"{f}-{e}", f"/{validators}/{f}/{e}", f"Story {f}-{e}",
                                 text=_text(f, e)) for e in range(args.entries)]
                url = site.feed(f"/{validators}/{f}.xml", entries, validators=validators)
                sources.append(Source(f"feed {f}", url, language="en"))
            builder = Counting()
            with Store.open(Path(tmp) / str(validators)) as store:
                first, new, calls, poller = _poll(store, sources, client, builder)
                second, new2, calls2, _ = _poll(store, sources, client, builder, poller)
                label = "304 Not Modified" if validators else "200, same body"
                print(f"{'validators' if validators else 'no validators'}:")
                print(f"  first poll    {first:6.2f} s  {new:,} articles stored, {calls:,} summarizer calls")
                print(f"  second poll   {second:6.3f} s  {new2} new, {calls2} summarizer calls ({label})")
                if not validators:
                    third, new3, calls3, _ = _poll(store, sources, client, builder)
                    print(f"  after restart {third:6.3f} s  {new3} new, {calls3} summarizer calls "
                          "(a new poller: unchanged bodies known from the registry)")


if __name__ == "__main__":
    main()
