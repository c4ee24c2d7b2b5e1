"""Every handler, registered in one place, in the order Telegram updates are matched."""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.handlers import admin, basics, buttons, errors, news

COMMANDS = [
    BotCommand("latest", "The newest articles"),
    BotCommand("date", "Articles of a day: /date 2026-02-25, /date yesterday"),
    BotCommand("search", "Find articles: /search harbor bridge"),
    BotCommand("article", "One article by its id"),
    BotCommand("settings", "Summary length"),
    BotCommand("sources", "Where the articles come from"),
    BotCommand("help", "What this bot can do"),
]


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", basics.start))
    app.add_handler(CommandHandler("help", basics.help_))
    app.add_handler(CommandHandler("latest", news.latest))
    app.add_handler(CommandHandler("date", news.date))
    app.add_handler(CommandHandler("article", news.article))
    app.add_handler(CommandHandler("search", news.search))
    app.add_handler(CommandHandler("settings", basics.settings))
    app.add_handler(CommandHandler("sources", basics.sources))
    app.add_handler(CommandHandler("stats", admin.stats))
    app.add_handler(MessageHandler(filters.Document.ALL, admin.upload))
    app.add_handler(MessageHandler(filters.COMMAND, basics.unknown))
    app.add_handler(MessageHandler(filters.TEXT, news.text))
    app.add_handler(CallbackQueryHandler(buttons.press))
    app.add_error_handler(errors.report)
