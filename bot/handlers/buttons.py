"""Every button press, dispatched by its callback data; stale or forged data is answered politely."""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.handlers import basics, news, settings
from bot.handlers.replies import say
from bot.services import services

EXPIRED = "This button has expired. Send the command again, please."


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any inline button."""
    query = update.callback_query
    if query is None:
        return
    pressed = keyboards.parse(query.data)
    if pressed is None:
        await query.answer(EXPIRED)
        return
    kind, args = pressed.kind, pressed.args
    stale = kind == "s" and news.remembered_search(context, args[0]) is None
    if stale or (kind == "c" and int(args[0]) not in keyboards.DIGEST_SIZES):
        await query.answer(EXPIRED)
        return
    await query.answer()
    if kind == "a":
        await news.show_article(update, context, args[0], int(args[1]))
    elif kind == "o":
        await news.send_article(update, context, args[0])
    elif kind == "f":
        await news.show_full_text(update, context, args[0])
    elif kind == "d":
        day = dt.datetime.strptime(args[0], "%Y%m%d").date()
        await news.show_day(update, context, day, int(args[1]))
    elif kind == "l":
        await news.show_latest(update, context, int(args[0]))
    elif kind == "s":
        await news.show_search(update, context, news.remembered_search(context, args[0]) or "",
                               int(args[1]))
    elif kind == "n":
        await settings.set_length(update, context, int(args[0]))
    elif kind == "c":
        await settings.set_articles(update, context, int(args[0]))
    elif kind == "h":
        await _shortcut(update, context, args[0])


async def _shortcut(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str) -> None:
    if name == "latest":
        await news.show_latest(update, context, 0)
    elif name == "today":
        await news.show_day(update, context, services(context).clock.today(), 0)
    elif name == "search":
        await say(update, context, "Send any words to search the archive, "
                                          "for example: harbor bridge")
    elif name == "settings":
        await settings.settings(update, context)
    else:
        await basics.help_(update, context)
