"""/settings: summary length, and the digest's time, zone, size and keywords, per chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.handlers.digest import may_change
from bot.handlers.replies import say, send, show
from bot.render import Segment
from bot.services import services
from bot.subscriptions import (
    Subscription,
    canonical_zone,
    parse_time,
    time_problem,
    zone_problem,
)

HOW_TO = ("/settings time 07:30 · /settings zone Europe/Berlin\n"
          "/settings only harbor, bridge — only articles that mention these\n"
          "/settings skip sports — nothing about these\n"
          "/settings only - · /settings skip - — clear the list\n"
          "/settings quiet on|off — nothing at all when nothing is new")
MAX_KEYWORDS = 20


def _current(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Subscription:
    """This chat's subscription, or an inactive one holding the defaults."""
    chat = update.effective_chat
    assert chat is not None
    return services(context).digests.subscription_for(chat.id, is_group=chat.type != "private")


async def _page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[list[Segment], object]:
    chat = update.effective_chat
    assert chat is not None
    sentences = await services(context).archive.sentences(chat.id)
    sub = _current(update, context)
    state = "subscribed" if sub.active else "not subscribed: /subscribe"
    lines = [
        f"Summary length: {sentences} sentence{'s' if sentences != 1 else ''} (first row)",
        f"Digest: {sub.at:%H:%M} {sub.zone}, {sub.count} articles (second row) — {state}",
        "Only about: " + (", ".join(sub.include) or "anything"),
        "Nothing about: " + (", ".join(sub.exclude) or "—"),
        "When nothing is new: " + ("no message" if sub.quiet else "a short note"),
    ]
    segments = [Segment("Settings", "b", gap=""), Segment("\n".join(lines)), Segment(HOW_TO, "i")]
    return segments, keyboards.settings_buttons(sentences, sub.count)


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings [time|zone|only|skip|quiet VALUE]: show or change this chat's settings."""
    args = list(context.args or [])
    if args:
        await _change(update, context, args[0].casefold(), " ".join(args[1:]).strip())
        return
    segments, markup = await _page(update, context)
    await send(update, context, segments, markup)  # type: ignore[arg-type]


def _keywords(value: str) -> tuple[str, ...]:
    if value in ("", "-", "none"):
        return ()
    words = [" ".join(w.split()) for w in value.replace(";", ",").split(",")]
    return tuple(dict.fromkeys(w for w in words if w))[:MAX_KEYWORDS]


async def _change(update: Update, context: ContextTypes.DEFAULT_TYPE, what: str, value: str) -> None:
    if not await may_change(update, context):
        return
    sub = _current(update, context)
    if what == "time":
        at = parse_time(value)
        if at is None:
            await say(update, context, time_problem(value))
            return
        sub = sub.with_changes(at=at, start=services(context).clock.now())
    elif what in ("zone", "timezone", "tz"):
        zone = canonical_zone(value)
        if zone is None:
            await say(update, context, zone_problem(value))
            return
        sub = sub.with_changes(zone=zone, start=services(context).clock.now())
    elif what == "only":
        sub = sub.with_changes(include=_keywords(value))
    elif what == "skip":
        sub = sub.with_changes(exclude=_keywords(value))
    elif what == "quiet" and value.casefold() in ("on", "off"):
        sub = sub.with_changes(quiet=value.casefold() == "on")
    else:
        await say(update, context, "I can change: time, zone, only, skip, quiet.\n" + HOW_TO)
        return
    await services(context).digests.save(sub)
    segments, markup = await _page(update, context)
    await send(update, context, segments, markup)  # type: ignore[arg-type]


async def set_length(update: Update, context: ContextTypes.DEFAULT_TYPE, sentences: int) -> None:
    """A length button: the chat's summary length."""
    chat = update.effective_chat
    if chat is None or not await may_change(update, context):
        return
    await services(context).archive.set_sentences(chat.id, sentences)
    segments, markup = await _page(update, context)
    await show(update, context, segments, markup)  # type: ignore[arg-type]


async def set_articles(update: Update, context: ContextTypes.DEFAULT_TYPE, articles: int) -> None:
    """A size button: articles per digest."""
    if update.effective_chat is None or not await may_change(update, context):
        return
    await services(context).digests.save(_current(update, context).with_changes(count=articles))
    segments, markup = await _page(update, context)
    await show(update, context, segments, markup)  # type: ignore[arg-type]
