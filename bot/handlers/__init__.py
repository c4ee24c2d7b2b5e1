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

from bot.handlers import admin, basics, buttons, digest, errors, feeds, news, settings

COMMANDS = [
    BotCommand("latest", "The newest articles"),
    BotCommand("date", "Articles of a day: /date 2026-02-25, /date yesterday"),
    BotCommand("search", "Find articles: /search harbor bridge"),
    BotCommand("article", "One article by its id"),
    BotCommand("subscribe", "A daily digest: /subscribe 07:30 Europe/Berlin"),
    BotCommand("status", "Your digest: when, next, last"),
    BotCommand("digest", "Your digest now"),
    BotCommand("unsubscribe", "No more digests"),
    BotCommand("settings", "Summary length, digest time and keywords"),
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
    app.add_handler(CommandHandler("subscribe", digest.subscribe))
    app.add_handler(CommandHandler("unsubscribe", digest.unsubscribe))
    app.add_handler(CommandHandler("status", digest.status))
    app.add_handler(CommandHandler("digest", digest.digest))
    app.add_handler(CommandHandler("settings", settings.settings))
    app.add_handler(CommandHandler("sources", basics.sources))
    app.add_handler(CommandHandler("stats", admin.stats))
    app.add_handler(CommandHandler("addfeed", feeds.addfeed))
    app.add_handler(CommandHandler("removefeed", feeds.removefeed))
    app.add_handler(CommandHandler("feeds", feeds.feeds))
    app.add_handler(MessageHandler(filters.Document.ALL, admin.upload))
    app.add_handler(MessageHandler(filters.COMMAND, basics.unknown))
    app.add_handler(MessageHandler(filters.TEXT, news.text))
    app.add_handler(CallbackQueryHandler(buttons.press))
    app.add_error_handler(errors.report)
