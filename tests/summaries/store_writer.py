"""A writer process for the store tests, which kill it or race it.

    python store_writer.py write DATA   add every batch of `batches()`, printing each
                                        batch number once `add` has returned
    python store_writer.py hold DATA    open DATA writable, print "locked", wait for stdin
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from summaries.article import Article, RankedSentence, make_article_id
from summaries.store import Store

WRITER_SCRIPT = Path(__file__)
BATCHES = 40
BATCH_SIZE = 50
BIG_DAY = dt.date(2026, 1, 1)  # gets 3 of every 4 articles: 1,500, so it spans two chunks


def article(i: int) -> Article:
    """The i-th generated article, the same in every process."""
    day = BIG_DAY if i % 4 != 3 else BIG_DAY + dt.timedelta(days=1 + i // 200)
    sentences = [
        f"Report {i} from the wire.",
        f"The token w{i} appears only here, with shared word s{i % 7}.",
        "Ministers met in Baku on Tuesday." if i % 2 else "Markets were calm.",
    ]
    text = " ".join(sentences)
    return Article(
        id=make_article_id(day, text),
        date=day,
        title=f"Headline {i}",
        text=text,
        language="en",
        ranked=(RankedSentence(1, sentences[1]), RankedSentence(0, sentences[0])),
        place="BAKU, Azerbaijan",
        source="test",
        url="",
        ingested=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=i),
    )


def batches() -> list[list[Article]]:
    """Every batch; each after the first repeats one article of the batch before it."""
    result = []
    for b in range(BATCHES):
        batch = [article(b * BATCH_SIZE + j) for j in range(BATCH_SIZE)]
        if b:
            batch.insert(BATCH_SIZE // 2, article(b * BATCH_SIZE - 1))
        result.append(batch)
    return result


def main(mode: str, data: Path) -> None:
    with Store.open(data) as store:
        if mode == "hold":
            print("locked", flush=True)
            sys.stdin.read()
            return
        print("ready", flush=True)
        for number, batch in enumerate(batches(), start=1):
            store.add(batch)
            print(number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
