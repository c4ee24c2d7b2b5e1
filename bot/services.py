"""What handlers need, built once by the composition root and kept in `bot_data`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import ContextTypes

from bot.archive import Archive
from bot.clock import Clock
from bot.config import TelegramConfig
from bot.digests import Digests
from bot.feeds import Feeds


@dataclass(slots=True)
class Services:
    archive: Archive
    telegram: TelegramConfig
    digests: Digests
    feeds: Feeds
    clock: Clock = field(default_factory=Clock)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def is_admin(self, update: Update) -> bool:
        """Whether the update comes from one of the operators named in the config."""
        user = update.effective_user
        return user is not None and user.id in self.telegram.admins


KEY = "services"


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found = context.bot_data[KEY]
    assert isinstance(found, Services)
    return found
