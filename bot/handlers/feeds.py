"""Admins' feed commands: /addfeed URL, /removefeed NAME|URL, /feeds."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import basics
from bot.handlers.replies import say, send
from bot.render import Segment
from bot.services import services
from summaries.errors import InputError
from summaries.sources.registry import SourceStatus


def describe(status: SourceStatus) -> str:
    """One source on one line or two: name, address, rhythm, and how it is doing."""
    source, state = status.source, status.state
    line = f"{source.name} — {source.url} — every {source.interval_minutes} min"
    if not source.enabled:
        return line + " — removed"
    if state.failing:
        when = f" since {state.last_error_at:%d %b %H:%M} UTC" if state.last_error_at else ""
        return line + f"\n  failing ({state.failures} times{when}): {state.last_error}"
    if state.last_success:
        return line + f"\n  last new articles {state.last_success:%d %b %H:%M} UTC"
    return line


async def addfeed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/addfeed URL: poll a feed from now on (admins)."""
    s = services(context)
    if not s.is_admin(update):
        await basics.unknown(update, context)
        return
    if not context.args:
        await say(update, context, "Send /addfeed followed by the feed's address, for example: "
                                   "/addfeed https://example.org/rss.xml")
        return
    try:
        source = await s.feeds.add(context.args[0])
    except InputError as error:
        await say(update, context, f"Not added: {error}")
        return
    result = await s.feeds.poll(source, force=True)
    assert context.job_queue is not None
    s.feeds.schedule(context.job_queue, source, first=source.interval_minutes * 60)
    await say(update, context, f"Added {source.name}, polled every {source.interval_minutes} "
                               f"minutes. First poll: {result.line()}")


async def removefeed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/removefeed NAME|URL: stop polling a feed (admins); its articles stay."""
    s = services(context)
    if not s.is_admin(update):
        await basics.unknown(update, context)
        return
    target = " ".join(context.args or []).strip()
    if not target:
        await say(update, context, "Send /removefeed followed by a feed's name or address (see /feeds).")
        return
    try:
        source = await s.feeds.remove(target)
    except InputError as error:
        await say(update, context, f"Not removed: {error}")
        return
    assert context.job_queue is not None
    s.feeds.unschedule(context.job_queue, source)
    await say(update, context, f"Removed {source.name}; its articles stay in the archive.")


async def feeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/feeds: every source and how it is doing (admins)."""
    s = services(context)
    if not s.is_admin(update):
        await basics.unknown(update, context)
        return
    statuses = await s.feeds.statuses()
    if not statuses:
        await say(update, context, "No feeds yet. /addfeed URL adds one.")
        return
    lines = "\n".join(describe(status) for status in statuses)
    await send(update, context, [Segment(f"Feeds ({len(statuses)})", "b", gap=""), Segment(lines)])
