"""Sending and editing rendered messages: split, escaped, buttons on the last part."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.messages import send_html
from bot.render import Segment, to_messages

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, segments: list[Segment],
               markup: InlineKeyboardMarkup | None = None, *, preview: bool = False) -> None:
    """Send segments as one or more messages; the buttons go with the last one."""
    chat = update.effective_chat
    if chat is None:
        return
    messages = to_messages(segments)
    for index, text in enumerate(messages):
        last = index == len(messages) - 1
        await send_html(context.bot, chat.id, text, markup if last else None, preview=preview)


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE, segments: list[Segment],
               markup: InlineKeyboardMarkup | None = None, *, preview: bool = False) -> None:
    """Replace the message whose button was pressed, or send anew when that can't be done."""
    query = update.callback_query
    messages = to_messages(segments)
    if query is not None and query.message is not None and len(messages) == 1:
        try:
            await query.edit_message_text(
                messages[0], reply_markup=markup,
                link_preview_options=None if preview else NO_PREVIEW,
            )
            return
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return  # the same button pressed twice: nothing to change
            log.info("edit failed (%s); sending a new message", error.message)
    await send(update, context, segments, markup, preview=preview)


async def say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
              markup: InlineKeyboardMarkup | None = None) -> None:
    """A short plain-text reply (escaped like everything else)."""
    await send(update, context, [Segment(text, gap="")], markup)
