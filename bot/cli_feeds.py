"""The `newsbot` commands for feeds: fetch, sources export/import, and URLs for ingest."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config
from summaries.errors import InputError
from summaries.ingest import IngestReport
from summaries.store import Store

if TYPE_CHECKING:
    from summaries.article import Article
    from summaries.corpus import Draft
    from summaries.sources.poll import PollResult

PROGRESS_FROM = 2  # sources; a bar is worth drawing as soon as there are several


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser) -> None:
    """Register `fetch` and `sources` on the `newsbot` parser."""
    commands.add_parser("fetch", parents=[common],
                        help="poll every configured feed once and store what is new")
    sources_cmd = commands.add_parser("sources", help="export or import the feed list as OPML")
    actions = sources_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, text in (("export", "write the feed list to an OPML file"),
                         ("import", "add the feeds an OPML file lists")):
        # The options go on the action (`sources export F --config C`), as on every command.
        actions.add_parser(action, parents=[common], help=text).add_argument(
            "file", type=Path, metavar="FILE.opml")


def ingest_urls(store: Store, urls: list[str], config: Config, report: IngestReport) -> None:
    """Fetch each URL (a feed or an article page) into the store, counting into `report`."""
    from summaries.sources.http import HttpClient
    from summaries.sources.poll import Poller
    from summaries.sources.registry import SourceRegistry

    with HttpClient(config.fetch) as client:
        poller = Poller(store, SourceRegistry(store, config.sources), client,
                        build=_builder(config))
        for url in urls:
            result = poller.ingest_url(url)
            report.added += result.new
            report.present += result.seen
            if result.error:
                report.rejected.append(InputError(result.error, url))
            elif result.rejected:
                report.rejected += [InputError(reason) for reason in result.rejected]


def run_fetch(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    """Poll every enabled source once, ignoring backoff; exit 1 when any failed."""
    from summaries.sources.http import HttpClient
    from summaries.sources.poll import Poller
    from summaries.sources.registry import SourceRegistry

    with Store.open(data_dir) as store, HttpClient(config.fetch) as client:
        registry = SourceRegistry(store, config.sources)
        sources = registry.sources()
        if not sources:
            print("No sources: add [[sources]] to the config, or import an OPML file with "
                  "'newsbot sources import FILE.opml'.")
            return 0
        bar = None
        if len(sources) >= PROGRESS_FROM:
            from tqdm import tqdm

            bar = tqdm(total=len(sources), unit="feed", disable=None, file=sys.stderr)
        poller = Poller(store, registry, client, build=_builder(config))

        def report(result: PollResult) -> None:
            line = result.line()
            if bar is not None:
                bar.write(line, file=sys.stdout)
                bar.update()
            else:
                print(line)

        results = poller.poll_all(sources, force=True, on_result=report)
        if bar is not None:
            bar.close()
    return 1 if any(not result.ok for result in results) else 0


def run_sources(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    from summaries.sources.opml import export_opml, import_opml
    from summaries.sources.registry import SourceRegistry

    if args.action == "export":
        if (data_dir / "format.json").exists():
            with Store.open(data_dir, writable=False) as store:
                sources = SourceRegistry(store, config.sources).sources()
        else:  # no data folder yet: only the config's sources exist
            sources = list(config.sources)
        args.file.write_bytes(export_opml(sources))
        print(f"wrote {len(sources)} source{'s' if len(sources) != 1 else ''} to {args.file}")
        return 0
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror or error})", str(args.file)) from None
    listed = import_opml(data, str(args.file))
    added, known = 0, 0
    with Store.open(data_dir) as store:
        registry = SourceRegistry(store, config.sources)
        for source in listed:
            existing = registry.find(source.url)
            if existing is not None and existing.enabled:
                known += 1
                continue
            registry.add(source.url, source.name, language=source.language,
                         interval_minutes=source.interval_minutes)
            added += 1
    print(f"added {added}, already present {known}")
    return 0


def _builder(config: Config) -> Callable[[Draft], Article]:
    from summaries.ingest import build_article

    algorithm = config.summaries.algorithm
    return lambda draft: build_article(draft, algorithm=algorithm,
                                       now=dt.datetime.now(dt.timezone.utc))
