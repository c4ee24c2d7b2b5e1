"""The `newsbot` command: ingest files, list a day's articles, summarize one text."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from bot import cli_feeds
from bot.config import Config, ConfigError, StoreConfig, load_config
from summaries.article import Headline
from summaries.clean import strip_dateline
from summaries.corpus import decode_text, parse_date, without_date_line
from summaries.errors import InputError, NewsbotError
from summaries.ingest import find_files, ingest
from summaries.sources.urls import is_http_url
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
    ingest_cmd.add_argument("paths", nargs="+", metavar="PATH",
                            help="a file, a folder, or the http(s) URL of a feed or article page")
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

    cli_feeds.add_commands(commands, common)
    commands.add_parser("run", parents=[common], help="serve the bot on Telegram")
    commands.add_parser("chat", parents=[common],
                        help="talk to the bot in this terminal (no Telegram account needed)")
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
    urls = [path for path in args.paths if is_http_url(path)]
    found = list(find_files(Path(path) for path in args.paths if not is_http_url(path)))
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
        if urls:
            cli_feeds.ingest_urls(store, urls, config, report)
    if bar is not None:
        bar.close()
    for error in report.rejected:
        print(f"rejected {error}", file=sys.stderr)
    print(
        f"added {report.added}, already present {report.present}, rejected {len(report.rejected)}"
    )
    return 1 if report.rejected else 0


def _format_article(number: int, article: Headline, sentences: int) -> str:
    meta = " · ".join(x for x in (article.place, article.source, article.id) if x)
    summary = textwrap.fill(" ".join(article.summary(sentences)), WIDTH, initial_indent="   ",
                            subsequent_indent="   ")
    return f"{number}. {article.title}\n   {meta}\n{summary}"


def run_articles(args: argparse.Namespace, config: Config) -> int:
    sentences = _sentences(args, config)
    asked = parse_date(args.date, "date") if args.date else None
    with Store.open(_data_dir(args, config), writable=False) as store:
        days = store.dates()
        if not days:
            print("The archive is empty: add articles with 'newsbot ingest PATH'.")
            return 0
        day = asked or days[-1]
        articles = store.headlines(day)
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
    # The corpus format's date line and dateline carry no sentence of the story.
    body, _ = strip_dateline(without_date_line(decode_text(data, origin)))
    if not body:
        raise InputError("empty text", origin)
    for sentence in summarize(body, sentences, args.language,
                              algorithm=config.summaries.algorithm):
        print(sentence)
    return 0


def _with_data(args: argparse.Namespace, config: Config) -> Config:
    return dataclasses.replace(config, store=StoreConfig(data_dir=_data_dir(args, config)))


def run_bot(args: argparse.Namespace, config: Config) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.app import run
    from bot.logs import setup_logging

    setup_logging(logging.INFO, config.telegram.token)
    try:
        run(_with_data(args, config))
    except InvalidToken:
        raise ConfigError("Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN or "
                          "[telegram] token in the config") from None
    except NetworkError as error:
        raise ConfigError(f"cannot reach the Bot API at {config.telegram.api_base_url} "
                          f"({error.message})") from None
    return 0


def run_chat(args: argparse.Namespace, config: Config) -> int:
    from bot.app import build_application
    from bot.logs import setup_logging
    from bot.terminal import TOKEN, USER_ID, TerminalRequest, chat

    setup_logging(logging.WARNING)
    interactive = sys.stdin.isatty()
    # The person at the terminal runs the bot, so they are its admin there.
    telegram = dataclasses.replace(config.telegram, admins=frozenset({USER_ID}))
    config = dataclasses.replace(_with_data(args, config), telegram=telegram)
    request = TerminalRequest(sys.stdout, bold=interactive and sys.stdout.isatty())
    app = build_application(config, request=request, token=TOKEN, concurrent=False)
    asyncio.run(chat(app, request, sys.stdin, sys.stdout, interactive=interactive))
    return 0


def run_fetch(args: argparse.Namespace, config: Config) -> int:
    return cli_feeds.run_fetch(args, config, _data_dir(args, config))


def run_sources(args: argparse.Namespace, config: Config) -> int:
    return cli_feeds.run_sources(args, config, _data_dir(args, config))


COMMANDS = {"ingest": run_ingest, "articles": run_articles, "summarize": run_summarize,
            "fetch": run_fetch, "sources": run_sources, "run": run_bot, "chat": run_chat}


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
