"""The real bot, built by the composition root, polling the loopback fake Bot API.

The Application runs on its own event loop in a thread, so a test reads like a chat:
send a message, wait until the bot has finished handling it, look at what it sent.
"Finished" is known exactly, not guessed with sleeps: a last handler group records each
update id once every handler before it has run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.app import build_application
from bot.clock import Clock
from bot.digests import Digests
from bot.services import KEY, Services
from bot.config import Config, StoreConfig, TelegramConfig
from tests.fakes import FakeBotApi, SentMessage

ADMIN = 1001
READER = 2002
DONE_GROUP = 99
TIMEOUT = 20.0  # only a guard against a hung test; nothing waits for it to pass


def make_config(data: Path, fake: FakeBotApi, **telegram: Any) -> Config:
    return Config(
        store=StoreConfig(data_dir=data),
        telegram=TelegramConfig(token=fake.token, api_base_url=fake.url,
                                admins=frozenset({ADMIN}), **telegram),
    )


class BotHarness:
    def __init__(self, config: Config, fake: FakeBotApi, clock: Clock | None = None) -> None:
        self.config = config
        self.fake = fake
        self.app: Application = build_application(config, clock=clock)  # type: ignore[type-arg]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._done: set[int] = set()
        self._cond = threading.Condition()
        self.app.add_handler(TypeHandler(Update, self._mark_done), group=DONE_GROUP)

    async def _mark_done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        with self._cond:
            self._done.add(update.update_id)
            self._cond.notify_all()

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(TIMEOUT)

    def start(self) -> BotHarness:
        self._thread.start()

        async def up() -> None:
            await self.app.initialize()
            assert self.app.post_init is not None
            await self.app.post_init(self.app)
            await self.app.start()
            assert self.app.updater is not None
            await self.app.updater.start_polling(poll_interval=0, timeout=1)

        self._call(up())
        return self

    def stop(self) -> None:
        async def down() -> None:
            assert self.app.updater is not None
            if self.app.updater.running:
                await self.app.updater.stop()
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
            assert self.app.post_shutdown is not None
            await self.app.post_shutdown(self.app)

        try:
            self._call(down())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(TIMEOUT)

    @property
    def digests(self) -> Digests:
        found = self.app.bot_data[KEY]
        assert isinstance(found, Services)
        return found.digests

    def tick(self) -> None:
        """Run the digest job once, as the minute timer would, and wait for its fan-out."""
        async def run() -> None:
            await self.digests.tick()
            await self.digests.idle()

        self._call(run())

    def wait_done(self, update_id: int) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: update_id in self._done, TIMEOUT):
                raise AssertionError(f"the bot did not finish update {update_id}")

    def _exchange(self, inject: Callable[[], int], chat_id: int) -> list[SentMessage]:
        before = {(m.chat_id, m.message_id): m.edit_count for m in self.fake.sent_messages()}
        self.wait_done(inject())
        return [m for m in self.fake.sent_messages(chat_id)
                if before.get((m.chat_id, m.message_id)) != m.edit_count]

    def say(self, text: str, chat_id: int = READER, user_id: int | None = None,
            **kwargs: Any) -> list[SentMessage]:
        """Send a message; return the messages the bot sent or changed in reply."""
        return self._exchange(
            lambda: self.fake.send_text(chat_id, text, user_id=user_id or chat_id, **kwargs), chat_id)

    def press(self, message: SentMessage, label: str, user_id: int | None = None) -> list[SentMessage]:
        """Press the button labelled `label` on `message`."""
        for row in message.keyboard:
            for text, data in row:
                if text == label:
                    return self.press_data(message, data, user_id)
        raise AssertionError(f"no button {label!r} in {message.keyboard}")

    def press_data(self, message: SentMessage, data: str, user_id: int | None = None
                   ) -> list[SentMessage]:
        return self._exchange(lambda: self.fake.press_button(
            message.chat_id, message.message_id, data, user_id=user_id or message.chat_id),
            message.chat_id)

    def upload(self, name: str, content: bytes, user_id: int) -> list[SentMessage]:
        return self._exchange(
            lambda: self.fake.send_document(user_id, name, content, user_id=user_id), user_id)


def with_telegram(config: Config, **changes: Any) -> Config:
    return dataclasses.replace(config, telegram=dataclasses.replace(config.telegram, **changes))
