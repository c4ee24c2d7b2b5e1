"""Operators' commands: /stats and article uploads. Others see them as unknown."""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import basics
from bot.handlers.feeds import describe
from bot.handlers.replies import say, send
from bot.render import Segment
from bot.services import services

REJECTIONS_SHOWN = 10


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    return " ".join(parts + [f"{hours} h", f"{minutes} min"])


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: articles, chats, store size and uptime — for admins only."""
    s = services(context)
    if not s.is_admin(update):
        await basics.unknown(update, context)
        return
    articles, chats, size = await s.archive.stats()
    statuses = await s.feeds.statuses()
    failing = [status for status in statuses if status.state.failing]
    subscribers = sum(1 for sub in s.digests.subscriptions.values() if sub.active)
    segments = [
        Segment("Statistics", "b", gap=""),
        Segment(f"Articles: {articles:,}\nChats: {chats:,}\nSubscribers: {subscribers:,}\n"
                f"Feeds: {len(statuses)} ({len(failing)} failing)\n"
                f"Store size: {size / 1_048_576:.1f} MB\n"
                f"Uptime: {_duration(s.clock.now() - s.started)}"),
    ]
    if failing:
        segments.append(Segment("Failing feeds:\n" + "\n".join(describe(f) for f in failing)))
    await send(update, context, segments)


async def upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A .txt file in the corpus format sent by an admin is ingested."""
    s = services(context)
    message = update.effective_message
    document = message.document if message else None
    if document is None or not s.is_admin(update):
        await basics.unknown(update, context)
        return
    name = document.file_name or "upload.txt"
    if not name.lower().endswith(".txt"):
        await say(update, context, f"{name}: send articles as .txt files in the corpus format "
                                          "(a first line starting with 'date YYYY-MM-DD').")
        return
    limit = s.telegram.upload_max_bytes
    if document.file_size is not None and document.file_size > limit:
        await say(update, context, f"{name} is {document.file_size / 1e6:.1f} MB; "
                                          f"the limit is {limit / 1e6:.1f} MB.")
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    if len(data) > limit:  # the size Telegram announced may be missing or wrong
        await say(update, context, f"{name} is larger than the limit of {limit / 1e6:.1f} MB.")
        return
    report = await s.archive.ingest_text(name, data)
    lines = [f"{name}: added {report.added}, already present {report.present}, "
             f"rejected {len(report.rejected)}"]
    lines += [f"• {error}" for error in report.rejected[:REJECTIONS_SHOWN]]
    if len(report.rejected) > REJECTIONS_SHOWN:
        lines.append(f"… and {len(report.rejected) - REJECTIONS_SHOWN} more")
    await send(update, context, [Segment("\n".join(lines), gap="")])
