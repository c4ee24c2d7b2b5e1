"""The one error handler: log with the update, tell the reader briefly, never crash."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)
SORRY = "Sorry, something went wrong. Please try again."


async def report(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Errors from handlers and jobs (then `update` is None) end here."""
    described = update.to_dict() if isinstance(update, Update) else repr(update)
    log.error("error while handling %s", described, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SORRY)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, SORRY)
    except TelegramError as error:  # telling the reader failed too; the log has it all
        log.warning("could not send the error notice: %s", error)
