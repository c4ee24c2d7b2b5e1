"""Greeting, help, sources, and the answer to anything unknown."""

from __future__ import annotations

from collections import Counter

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.handlers.replies import say, send
from bot.render import Segment
from bot.services import services

HELP = [
    Segment("What I can do", "b", gap=""),
    Segment("/latest — the newest articles\n"
            "/date WHEN — a day's articles: /date 2026-02-25, /date yesterday, /date Feb 25\n"
            "/search WORDS — articles with all these words\n"
            "/article ID — one article\n"
            "/settings — summary length, digest time, zone and keywords\n"
            "/subscribe [HH:MM] [Area/City] — a daily digest at your time\n"
            "/status — your digest: when, the next and the last\n"
            "/digest — your digest now · /unsubscribe — no more digests\n"
            "/sources — where the articles come from"),
    Segment("You can also just send a date, or words to search for. Under an article, "
            "− Shorter and + Longer change its summary in place.", "i"),
]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: what the bot does, with buttons for the common actions."""
    intro = [
        Segment("Hello! I summarize the news.", "b", gap=""),
        Segment("Ask for a day's articles, search the archive, and read each story as a "
                "summary of the length you like."),
    ]
    await send(update, context, intro, keyboards.start_buttons())


async def help_(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: the commands."""
    await send(update, context, HELP)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: where the archive's articles come from."""
    archive = services(context).archive
    days = await archive.dates()
    if not days:
        await say(update, context, "The archive is empty for now.")
        return
    recent = Counter(a.source or "unnamed source" for a in await archive.latest_headlines(200))
    names = "\n".join(f"{name} — {n}" for name, n in recent.most_common(15))
    await send(update, context, [
        Segment("Sources", "b", gap=""),
        Segment(f"The archive covers {days[0]:%d %b %Y} to {days[-1]:%d %b %Y}."),
        Segment("Recent articles by source:\n" + names),
    ])


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any command the bot does not have."""
    await say(update, context, "I don't know that command. /help lists what I can do.")
