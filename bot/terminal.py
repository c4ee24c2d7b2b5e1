"""`newsbot chat`: the same Application and handlers, with the terminal as Telegram.

A `BaseRequest` answers the Bot API calls the bot makes by printing messages, and each
line typed (or piped) becomes a real `Update` handed to `Application.process_update`,
so the chat runs exactly the code Telegram users reach. Buttons are shown numbered;
typing the number presses it.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.render import utf16_units

TOKEN = "0:local"  # never sent anywhere; PTB only needs its shape
USER_ID = 1
USER = {"id": USER_ID, "is_bot": False, "first_name": "You"}
CHAT = {"id": 1, "type": "private", "first_name": "You"}
BOT = {"id": 0, "is_bot": True, "first_name": "newsbot", "username": "newsbot_local_bot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}

_TAG = re.compile(r"<(/?)([a-z-]+)([^>]*)>")
_HREF = re.compile(r'href="([^"]*)"')


def to_terminal(text: str, bold: bool) -> str:
    """Telegram HTML as terminal text: tags dropped (bold kept when the terminal can)."""
    links: list[str] = []

    def tag(match: re.Match[str]) -> str:
        closing, name, attrs = match.groups()
        if name == "a":
            if closing:
                return f" ({links.pop()})" if links else ""
            found = _HREF.search(attrs)
            links.append(html.unescape(found.group(1)) if found else "")
            return ""
        if name == "b" and bold:
            return "\033[0m" if closing else "\033[1m"
        return ""

    return html.unescape(_TAG.sub(tag, text))


class TerminalRequest(BaseRequest):
    """Answers the bot's API calls itself: messages go to the terminal, not to Telegram."""

    def __init__(self, out: TextIO, *, bold: bool = False) -> None:
        self._out = out
        self._bold = bold
        self._ids = itertools.count(1)
        self._messages: dict[int, dict[str, Any]] = {}
        self.buttons: list[tuple[int, str]] = []  # (message id, callback data), numbered from 1

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        result = self._answer(name, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT
        if name == "sendMessage":
            return self._show(params, next(self._ids), edited=False)
        if name == "editMessageText":
            return self._show(params, int(params["message_id"]), edited=True)
        if name == "answerCallbackQuery":
            if params.get("text"):
                self._print(f"bot> ({params['text']})")
            return True
        if name == "getMyCommands":
            return []
        return True  # setMyCommands, deleteWebhook, sendChatAction...

    def _show(self, params: dict[str, Any], message_id: int, *, edited: bool) -> dict[str, Any]:
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")
        shown = to_terminal(text, self._bold)
        lines = [("bot (updated)> " if edited else "bot> ") + shown.replace("\n", "\n     ")]
        if markup:
            self.buttons = []
            for row in markup.get("inline_keyboard", []):
                cells = []
                for button in row:
                    self.buttons.append((message_id, button.get("callback_data", "")))
                    cells.append(f"[{len(self.buttons)}] {button['text']}")
                lines.append("     " + "  ".join(cells))
        self._print("\n".join(lines) + "\n")
        message = {"message_id": message_id, "date": int(time.time()), "chat": CHAT, "from": BOT,
                   "text": shown}
        if markup:
            message["reply_markup"] = markup
        self._messages[message_id] = message
        return message

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    def update_for(self, update_id: int, line: str) -> dict[str, Any]:
        """The update Telegram would send for a typed line: a button press or a message."""
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            message_id, data = self.buttons[int(line) - 1]
            return {"update_id": update_id, "callback_query": {
                "id": str(update_id), "from": USER, "chat_instance": "terminal", "data": data,
                "message": self._messages[message_id]}}
        message: dict[str, Any] = {"message_id": next(self._ids), "date": int(time.time()),
                                   "chat": CHAT, "from": USER, "text": line}
        if line.startswith("/"):
            command = line.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": utf16_units(command)}]
        return {"update_id": update_id, "message": message}


async def chat(app: Application, request: TerminalRequest, stdin: TextIO,  # type: ignore[type-arg]
               out: TextIO, *, interactive: bool) -> None:
    """Feed lines from `stdin` to the bot until end of input (or /quit)."""
    loop = asyncio.get_running_loop()
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    try:
        if interactive:
            out.write("newsbot terminal chat: type /start, a date, or words to search; "
                      "a number presses a button; /quit or Ctrl-D ends.\n\n")
        for update_id in itertools.count(1):
            if interactive:
                out.write("you> ")
                out.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            if not interactive:
                out.write(f"you> {line}\n")
            update = Update.de_json(request.update_for(update_id, line), app.bot)
            await app.process_update(update)
    finally:
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
