"""What the fake remembers: chats, messages, files, the updates queue, commands, the
call log and failure rules, all guarded by one condition variable.

One lock for everything because a request touches several parts at once (a sendMessage
checks failure rules, resolves the chat, stores a message and records the call), and
the condition wakes long polls and ``wait_for`` callers whenever any of it changes.
The behaviour on top lives in mixins that share this base: the call log
(``botapi_calls``), failure rules (``botapi_failures``) and the API methods
(``botapi_methods``).
"""

from __future__ import annotations

import copy
import itertools
import json
import mimetypes
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from tests.fakes.botapi_records import (
    Call,
    JsonDict,
    Keyboard,
    SentMessage,
    StoredFile,
    bad_request,
)
from tests.fakes.telegram_html import utf16_len

__all__ = ["BotApiState", "FailRule", "MessageState", "commands_key"]


@dataclass
class MessageState:
    """A message as the fake keeps it; tests get :class:`SentMessage` snapshots."""

    chat_id: int
    message_id: int
    raw: JsonDict
    from_bot: bool
    source: str = ""
    parse_mode: str | None = None
    edit_count: int = 0
    document: StoredFile | None = None

    def snapshot(self) -> SentMessage:
        raw = copy.deepcopy(self.raw)
        markup = raw.get("reply_markup")
        return SentMessage(
            chat_id=self.chat_id,
            message_id=self.message_id,
            text=str(raw.get("text", raw.get("caption", ""))),
            source=self.source,
            parse_mode=self.parse_mode,
            entities=list(raw.get("entities") or raw.get("caption_entities") or []),
            keyboard=_keyboard_rows(markup),
            reply_markup=markup,
            edit_count=self.edit_count,
            document=self.document,
            raw=raw,
        )


def _keyboard_rows(markup: JsonDict | None) -> Keyboard:
    rows = (markup or {}).get("inline_keyboard", [])
    return [
        [(button["text"], button.get("callback_data", button.get("url"))) for button in row]
        for row in rows
    ]


@dataclass
class FailRule:
    """Answer the next ``remaining`` calls of ``method`` (to ``chat_id``) with an error."""

    method: str
    error_code: int
    description: str
    parameters: JsonDict
    remaining: int
    chat_id: int | str | None


def commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    """Telegram keeps one command list per scope and language; sorted JSON names a scope."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


class BotApiState:
    """The fake's memory and the helpers that keep it consistent.

    Public methods take ``_cond`` themselves; the ``_`` helpers expect the caller to hold it.
    """

    def __init__(self, bot_user: JsonDict, *, strict_ampersand: bool) -> None:
        self.bot_user = bot_user
        self.strict_ampersand = strict_ampersand
        self._cond = threading.Condition(threading.RLock())
        self._stop_event = threading.Event()
        # Recording.
        self._calls: list[Call] = []
        self._next_call_index = 0
        self._sent: list[tuple[int, int]] = []
        # Telegram state.
        self._update_ids = itertools.count(1)
        self._updates: deque[JsonDict] = deque()
        self._poll_generation = 0
        self._pollers_waiting = 0
        self._webhook_url = ""
        self.chat_admins: dict[int, set[int]] = {}  # group chat id -> its admins' user ids
        self._chats: dict[int, JsonDict] = {}
        self._channel_ids: dict[str, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], MessageState] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._open_queries: set[str] = set()
        self._query_counter = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        # Failure injection.
        self._fail_rules: list[FailRule] = []
        self._delays: dict[str, float] = {}
        self._slow_rules: list[list[Any]] = []  # [method, seconds, remaining, chat_id]
        self._rate: tuple[float, int, bool] | None = None
        self._rate_windows: dict[Any, deque[float]] = {}

    # ------------------------------------------------------------------ updates from users

    def inject_update(self, payload: JsonDict) -> int:
        """Queue a raw update (anything but ``update_id``); returns its update id."""
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **copy.deepcopy(payload)})
            self._cond.notify_all()
        return update_id

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Tester",
        username: str | None = None,
        chat_title: str | None = None,
    ) -> int:
        """A user writes ``text``; a leading ``/cmd`` or ``/cmd@bot`` gets its bot_command."""
        fields: JsonDict = {"text": text}
        command = re.match(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?(?![^\s])", text)
        if command:
            length = utf16_len(command.group(0))
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        with self._cond:
            user = self._register_user(
                chat_id, chat_type, user_id, first_name, username, chat_title
            )
            message = self._new_message(chat_id, user, fields, from_bot=False)
            return self.inject_update({"message": message.raw})

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        first_name: str = "Tester",
        username: str | None = None,
    ) -> int:
        """A user presses an inline button; the query carries the message as it is now."""
        with self._cond:
            state = self._messages.get((chat_id, message_id))
            if state is None:
                raise ValueError(f"no message {message_id} in chat {chat_id} to press a button on")
            chat = self._chat_json(chat_id)
            user = self._register_user(
                chat_id, chat["type"], user_id, first_name, username, chat.get("title")
            )
            query_id = str(next(self._query_counter))
            self._open_queries.add(query_id)
            query = {
                "id": query_id,
                "from": user,
                "message": state.raw,
                "chat_instance": f"instance{chat_id}",
                "data": data,
            }
            return self.inject_update({"callback_query": query})

    def send_document(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        *,
        user_id: int | None = None,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_type: str = "private",
        first_name: str = "Tester",
    ) -> int:
        """A user uploads a file; getFile and the file URL then serve ``content``."""
        with self._cond:
            stored = self._store_file(filename, content, mime_type)
            user = self._register_user(chat_id, chat_type, user_id, first_name, None, None)
            fields: JsonDict = {"document": stored.document_json()}
            if caption:
                fields["caption"] = caption
            message = self._new_message(chat_id, user, fields, from_bot=False)
            message.document = stored
            return self.inject_update({"message": message.raw})

    def set_chat_admins(self, chat_id: int, user_ids: set[int]) -> None:
        """Who getChatMember reports as an administrator of a group."""
        with self._cond:
            self.chat_admins[chat_id] = set(user_ids)

    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._cond:
            return copy.deepcopy(list(self._updates))

    # ------------------------------------------------------------------ commands

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """The command list set for a scope (default scope when None) and language."""
        with self._cond:
            return copy.deepcopy(self._commands.get(commands_key(scope, language_code), []))

    # ------------------------------------------------------------------ keeping state

    def _register_user(
        self,
        chat_id: int,
        chat_type: str,
        user_id: int | None,
        first_name: str,
        username: str | None,
        title: str | None,
    ) -> JsonDict:
        if chat_type not in ("private", "group", "supergroup", "channel"):
            raise ValueError(f"unknown chat type {chat_type!r}")
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 1
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        user["language_code"] = "en"
        if chat_type == "private":
            chat: JsonDict = {"id": chat_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
        else:
            chat = {"id": chat_id, "type": chat_type, "title": title or f"Chat {chat_id}"}
        self._chats[chat_id] = chat
        return user

    def _chat_json(self, chat_id: int) -> JsonDict:
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _resolve_chat(self, params: JsonDict) -> int:
        value = params.get("chat_id")
        if isinstance(value, bool) or value in (None, ""):
            raise bad_request("chat_id is empty")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.startswith("@"):
            key = value.lower()
            if key not in self._channel_ids:
                channel_id = -1_000_000_000_000 - len(self._channel_ids) - 1
                self._channel_ids[key] = channel_id
                self._chats[channel_id] = {
                    "id": channel_id, "type": "channel", "title": value[1:], "username": value[1:]
                }  # fmt: skip
            return self._channel_ids[key]
        raise bad_request("chat not found")

    def _new_message(
        self, chat_id: int, sender: JsonDict, fields: JsonDict, *, from_bot: bool
    ) -> MessageState:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        raw: JsonDict = {
            "message_id": message_id,
            "from": dict(sender),
            "chat": self._chat_json(chat_id),
            "date": int(time.time()),
            **fields,
        }
        state = MessageState(chat_id, message_id, raw, from_bot)
        self._messages[(chat_id, message_id)] = state
        if from_bot:
            self._sent.append((chat_id, message_id))
        return state

    def _store_file(self, filename: str, content: bytes, mime_type: str | None) -> StoredFile:
        number = next(self._file_counter)
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = StoredFile(
            file_id=f"FAKEFILE{number:06d}",
            file_unique_id=f"U{number:06d}",
            file_path=f"documents/file_{number}.{suffix}",
            file_name=filename,
            mime_type=mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
            content=bytes(content),
        )
        self._files[stored.file_id] = stored
        return stored
