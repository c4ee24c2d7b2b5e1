"""From files to stored articles: read, clean, summarize once, store in batches."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from summaries.article import Article, make_article_id
from summaries.clean import derive_title, strip_attribution, strip_dateline
from summaries.corpus import SUFFIXES, Draft, read_file
from summaries.errors import InputError
from summaries.store import Store
from summaries.summarize import DEFAULT_ALGORITHM, rank_sentences, split_sentences

BATCH_SIZE = 500  # articles per store write: large enough to amortize, small enough to lose little


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: counts, and every rejection with its reason."""

    added: int = 0
    present: int = 0
    rejected: list[InputError] = field(default_factory=list)


def build_article(
    draft: Draft, *, algorithm: str = DEFAULT_ALGORITHM, now: dt.datetime | None = None
) -> Article:
    """Clean a draft and rank its sentences once, so any summary length is served later."""
    body, dateline = strip_dateline(draft.text)
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise InputError("empty article body", draft.origin)
    paragraphs[0], attributed = strip_attribution(paragraphs[0])
    text = "\n\n".join(paragraphs)
    ranking = rank_sentences(text, draft.language, algorithm=algorithm)
    if not ranking.ranked:
        raise InputError("no sentences in the article body", draft.origin)
    title = draft.title
    if not title:
        lead = split_sentences(paragraphs[0][:2000], ranking.language)
        title = derive_title(lead[0] if lead else paragraphs[0])
    return Article(
        id=make_article_id(draft.date, text, draft.url),
        date=draft.date,
        title=title,
        text=text,
        language=ranking.language,
        ranked=ranking.ranked,
        place=dateline.place if dateline else "",
        source=draft.source or (dateline.agency if dateline else "") or attributed,
        url=draft.url,
        ingested=now or dt.datetime.now(dt.timezone.utc),
    )


def find_files(paths: Iterable[Path]) -> Iterator[Path | InputError]:
    """Files named, and the supported files inside folders named, in a stable order.

    Inside folders, hidden files and READMEs are passed over: they describe an archive,
    they are not news. A file named on its own is always read.
    """
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    lower = name.lower()
                    if lower.endswith(SUFFIXES) and not lower.startswith((".", "readme")):
                        yield Path(folder, name)
        elif path.exists():
            yield path
        else:
            yield InputError("no such file or folder", str(path))


def ingest(
    store: Store,
    found: Iterable[Path | InputError],
    *,
    date: dt.date | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
    batch_size: int = BATCH_SIZE,
    on_file: Callable[[Path], None] | None = None,
    on_article: Callable[[], None] | None = None,
) -> IngestReport:
    """Ingest what `find_files` found; bad files are reported and skipped, the rest go in.

    Taking the found files rather than paths lets a caller count them first for a
    progress bar without walking the folders twice.
    """

    def drafts() -> Iterator[Draft | InputError]:
        for item in found:
            if isinstance(item, InputError):
                yield item
                continue
            yield from read_file(item, date)
            if on_file is not None:
                on_file(item)

    return ingest_drafts(store, drafts(), algorithm=algorithm, batch_size=batch_size,
                         on_article=on_article)


def ingest_drafts(
    store: Store,
    drafts: Iterable[Draft | InputError],
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    batch_size: int = BATCH_SIZE,
    on_article: Callable[[], None] | None = None,
) -> IngestReport:
    """Summarize and store drafts in batches; errors among them are counted as rejections."""
    report = IngestReport()
    batch: dict[str, Article] = {}

    def flush() -> None:
        if batch:
            result = store.add(batch.values())
            report.added += len(result.added)
            report.present += len(result.present)
            batch.clear()

    for draft in drafts:
        if isinstance(draft, InputError):
            report.rejected.append(draft)
            continue
        try:
            article = build_article(draft, algorithm=algorithm)
        except InputError as error:
            report.rejected.append(error)
            continue
        if article.id in batch:
            report.present += 1
        batch[article.id] = article
        if len(batch) >= batch_size:
            flush()
        if on_article is not None:
            on_article()
    flush()
    return report
