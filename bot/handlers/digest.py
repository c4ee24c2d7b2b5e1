"""Subscribing to the daily digest, its status, and a digest on demand."""

from __future__ import annotations

import datetime as dt

from telegram import Chat, Update
from telegram.ext import ContextTypes

from bot.handlers.replies import NO_PREVIEW, say, send
from bot.render import Segment
from bot.services import services
from bot.subscriptions import (
    Subscription,
    canonical_zone,
    parse_time,
    time_problem,
    zone_problem,
)

ADMIN_STATUSES = {"administrator", "creator"}


async def may_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a group only its admins change the digest; anyone may in a private chat."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type == Chat.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous admin posting as the group
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    if member.status in ADMIN_STATUSES:
        return True
    await say(update, context, "Only this group's admins can change its digest.")
    return False


def parse_when_where(args: list[str]) -> tuple[dt.time | None, str | None, str | None]:
    """Time and zone from /subscribe's words, in either order; the third value is a problem."""
    at, zone = None, None
    for word in args:
        if at is None and (parsed := parse_time(word)) is not None:
            at = parsed
            continue
        found = canonical_zone(word)
        if found is None:
            problem = time_problem(word) if word[:1].isdigit() else zone_problem(word)
            return None, None, problem
        zone = found
    return at, zone, None


def describe(sub: Subscription, next_at: dt.datetime) -> str:
    when = f"every day at {sub.at:%H:%M} ({sub.zone})"
    return f"A digest of up to {sub.count} articles {when}. Next: {next_at:%a %d %b, %H:%M}."


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe [HH:MM] [Area/City]: a daily digest at the reader's local time."""
    chat = update.effective_chat
    if chat is None or not await may_change(update, context):
        return
    at, zone, problem = parse_when_where(list(context.args or []))
    if problem:
        await say(update, context, problem)
        return
    digests = services(context).digests
    sub = digests.subscription_for(chat.id)
    sub = sub.with_changes(at=at or sub.at, zone=zone or sub.zone, active=True, stopped="",
                           is_group=chat.type != Chat.PRIVATE, start=digests.clock.now())
    await digests.save(sub)
    await say(update, context, "Subscribed. " + describe(sub, digests.next_delivery(sub)))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe: no more digests (the settings are kept for a later /subscribe)."""
    chat = update.effective_chat
    if chat is None or not await may_change(update, context):
        return
    digests = services(context).digests
    sub = digests.subscriptions.get(chat.id)
    if sub is None or not sub.active:
        await say(update, context, "You are not subscribed. /subscribe starts a daily digest.")
        return
    await digests.save(sub.with_changes(active=False))
    await say(update, context, "Unsubscribed: no more digests. /subscribe brings them back.")


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status: subscribed or not, when, the next and the last delivery."""
    chat = update.effective_chat
    if chat is None:
        return
    digests = services(context).digests
    sub = digests.subscriptions.get(chat.id)
    if sub is None or not sub.active:
        await say(update, context, "Not subscribed. /subscribe 07:30 Europe/Berlin starts a "
                                   "daily digest at your time.")
        return
    lines = [describe(sub, digests.next_delivery(sub))]
    if sub.last_until:
        lines.append(f"Last digest: {sub.last_until.astimezone(sub.tz):%a %d %b, %H:%M}.")
    else:
        lines.append("No digest sent yet.")
    if sub.include:
        lines.append("Only articles mentioning: " + ", ".join(sub.include))
    if sub.exclude:
        lines.append("Nothing about: " + ", ".join(sub.exclude))
    await send(update, context, [Segment("Your digest", "b", gap=""), Segment("\n".join(lines))])


async def digest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest: today's digest now (the scheduled one still comes)."""
    chat = update.effective_chat
    if chat is None:
        return
    s = services(context)
    sub = s.digests.subscription_for(chat.id)
    sentences = await s.archive.sentences(chat.id)
    for text in await s.digests.compose_now(sub, sentences):
        await context.bot.send_message(chat.id, text, link_preview_options=NO_PREVIEW)
