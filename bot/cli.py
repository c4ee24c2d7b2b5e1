"""The `newsbot` command: ingest files, list a day's articles, summarize one text."""

from __future__ import annotations

import argparse
import logging
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from bot.config import Config, load_config
from summaries.article import Article
from summaries.clean import strip_dateline
from summaries.corpus import decode_text, parse_date
from summaries.errors import InputError, NewsbotError
from summaries.ingest import find_files, ingest
from summaries.store import Store
from summaries.summarize import summarize

PROGRESS_FROM = 20  # files; fewer finish before a bar would be worth drawing
WIDTH = 88


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="config file (default: ./newsbot.toml if present)")
    common.add_argument("--data", type=Path, help="data folder (default: from the config, else ./data)")
    parser = argparse.ArgumentParser(
        prog="newsbot", description="Summaries of a news archive, on Telegram and in a terminal."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest_cmd = commands.add_parser(
        "ingest", parents=[common], help="store articles from files or folders"
    )
    ingest_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest_cmd.add_argument("--date", help="date (YYYY-MM-DD) for plain texts without a date line")

    articles_cmd = commands.add_parser(
        "articles", parents=[common], help="a day's articles with their summaries"
    )
    articles_cmd.add_argument("date", nargs="?", help="YYYY-MM-DD (default: the newest day)")
    articles_cmd.add_argument("--sentences", type=int, help="summary length, 1 to 5")

    summarize_cmd = commands.add_parser(
        "summarize", parents=[common], help="the summary of one text, without storing it"
    )
    summarize_cmd.add_argument("file", metavar="FILE|-")
    summarize_cmd.add_argument("--sentences", type=int, help="summary length, 1 to 5")
    summarize_cmd.add_argument("--language", help="ISO 639-1 code; detected when not given")
    return parser


def _data_dir(args: argparse.Namespace, config: Config) -> Path:
    return args.data if args.data is not None else config.store.data_dir


def _sentences(args: argparse.Namespace, config: Config) -> int:
    value = args.sentences if args.sentences is not None else config.summaries.sentences
    if not 1 <= value <= 5:
        raise InputError("--sentences must be from 1 to 5")
    return int(value)


def run_ingest(args: argparse.Namespace, config: Config) -> int:
    day = parse_date(args.date, "--date") if args.date else None
    found = list(find_files(args.paths))
    bar = None
    if len(found) >= PROGRESS_FROM:
        from tqdm import tqdm  # only here: the other commands need no bar

        bar = tqdm(total=len(found), unit="file", disable=None, file=sys.stderr)
    with Store.open(_data_dir(args, config)) as store:
        report = ingest(
            store,
            found,
            date=day,
            algorithm=config.summaries.algorithm,
            on_file=(lambda _path: bar.update()) if bar is not None else None,
        )
    if bar is not None:
        bar.close()
    for error in report.rejected:
        print(f"rejected {error}", file=sys.stderr)
    print(
        f"added {report.added}, already present {report.present}, rejected {len(report.rejected)}"
    )
    return 1 if report.rejected else 0


def _format_article(number: int, article: Article, sentences: int) -> str:
    meta = " · ".join(x for x in (article.place, article.source, article.id) if x)
    summary = textwrap.fill(" ".join(article.summary(sentences)), WIDTH, initial_indent="   ",
                            subsequent_indent="   ")
    return f"{number}. {article.title}\n   {meta}\n{summary}"


def run_articles(args: argparse.Namespace, config: Config) -> int:
    sentences = _sentences(args, config)
    with Store.open(_data_dir(args, config), writable=False) as store:
        days = store.dates()
        if not days:
            print("The archive is empty: add articles with 'newsbot ingest PATH'.")
            return 0
        day = parse_date(args.date, "date") if args.date else days[-1]
        articles = store.by_date(day)
    if not articles:
        nearest = sorted(days, key=lambda d: abs((d - day).days))[:3]
        listed = ", ".join(d.isoformat() for d in sorted(nearest))
        print(f"No articles on {day.isoformat()}. Nearest dates with articles: {listed}.")
        return 0
    count = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
    print(f"{day:%A, %d %B %Y} — {count}\n")
    print("\n\n".join(_format_article(n, a, sentences) for n, a in enumerate(articles, 1)))
    return 0


def run_summarize(args: argparse.Namespace, config: Config) -> int:
    sentences = _sentences(args, config)
    if args.file == "-":
        data, origin = sys.stdin.buffer.read(), "standard input"
    else:
        path = Path(args.file)
        try:
            data, origin = path.read_bytes(), str(path)
        except OSError as error:
            raise InputError(f"cannot read ({error.strerror or error})", str(path)) from None
    text = decode_text(data, origin)
    lines = text.lstrip().split(None, 2)
    if len(lines) == 3 and lines[0] == "date":
        text = lines[2]  # the corpus format's date line carries no sentence
    body, _ = strip_dateline(text)
    if not body:
        raise InputError("empty text", origin)
    for sentence in summarize(body, sentences, args.language,
                              algorithm=config.summaries.algorithm):
        print(sentence)
    return 0


COMMANDS = {"ingest": run_ingest, "articles": run_articles, "summarize": run_summarize}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsbot` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="newsbot: %(levelname)s: %(message)s")
    try:
        config = load_config(args.config)
        return COMMANDS[args.command](args, config)
    except NewsbotError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newsbot: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
