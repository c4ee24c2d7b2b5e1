"""The Bot API methods the fake implements, one ``_api_<snake_case>`` handler each.

Each handler takes the decoded parameters and uploaded files and returns the ``result``
Telegram would send, or raises :class:`ApiError` with Telegram's wording. Only the
methods our bot calls are here; anything else answers 404 like an unknown method.
"""

from __future__ import annotations

import copy
import re
import time
from collections import deque
from typing import Any

from tests.fakes.botapi_content import inline_markup, parse_caption, parse_text
from tests.fakes.botapi_records import ApiError, JsonDict, Upload, bad_request
from tests.fakes.botapi_state import BotApiState, MessageState, commands_key

__all__ = ["ApiMethods", "METHODS", "canonical"]

_METHOD_NAMES = (
    "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo",
    "sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
    "setMyCommands", "getMyCommands", "deleteMyCommands", "sendChatAction", "getFile",
    "sendDocument", "getChatMember",
)  # fmt: skip
# Telegram matches method names case-insensitively.
METHODS = {name.lower(): name for name in _METHOD_NAMES}
_MAX_POLL_SECONDS = 50.0
_CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice",
    "upload_voice", "upload_document", "choose_sticker", "find_location",
    "record_video_note", "upload_video_note",
}  # fmt: skip
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

_Files = dict[str, Upload]


def canonical(method: str) -> str:
    """The API's spelling of a method name; ValueError for methods the fake lacks."""
    try:
        return METHODS[method.lower()]
    except KeyError:
        raise ValueError(f"the fake Bot API has no method {method!r}") from None


class ApiMethods(BotApiState):
    """The method handlers, mixed into :class:`~tests.fakes.botapi.FakeBotApi`."""

    def _answer(self, method: str, params: JsonDict, files: _Files) -> Any:
        """Run the handler of ``method``, a name from :data:`METHODS`."""
        handler = "_api_" + re.sub(r"(?<!^)([A-Z])", r"_\1", method).lower()
        return getattr(self, handler)(params, files)

    def _bot_message(self, params: JsonDict) -> MessageState:
        """The bot's own message named by chat_id + message_id, for the edit methods."""
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the fake")
        chat_id = self._resolve_chat(params)
        state = self._messages.get((chat_id, params.get("message_id")))  # type: ignore[arg-type]
        if state is None:
            raise bad_request("message to edit not found")
        if not state.from_bot:
            raise bad_request("message can't be edited")
        return state

    def _replace_webhook(self, url: str, params: JsonDict) -> bool:
        """setWebhook and deleteWebhook: both may drop the pending updates."""
        with self._cond:
            self._webhook_url = url
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    # ------------------------------------------------------------------ API methods
    def _api_get_chat_member(self, params: JsonDict, files: _Files) -> JsonDict:
        """Private chats' users own them; in groups, users named by set_chat_admins are admins."""
        with self._cond:
            chat_id = self._resolve_chat(params)
            user_id = int(params.get("user_id", 0))
            chat = self._chat_json(chat_id)
            if chat.get("type") == "private":
                status = "creator" if user_id == chat_id else "member"
            else:
                status = "administrator" if user_id in self.chat_admins.get(chat_id, set()) else "member"
        member: JsonDict = {"status": status,
                            "user": {"id": user_id, "is_bot": False, "first_name": "Member"}}
        if status == "administrator":
            member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                          can_delete_messages=True, can_manage_video_chats=True,
                          can_restrict_members=True, can_promote_members=False,
                          can_change_info=True, can_invite_users=True, can_post_stories=False,
                          can_edit_stories=False, can_delete_stories=False)
        return member


    def _api_get_me(self, params: JsonDict, files: _Files) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_get_updates(self, params: JsonDict, files: _Files) -> list[JsonDict]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), _MAX_POLL_SECONDS)
        allowed = params.get("allowed_updates") or None
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._poll_generation += 1
            generation = self._poll_generation
            if offset > 0:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
            elif offset < 0:
                while len(self._updates) > -offset:
                    self._updates.popleft()
            self._pollers_waiting += 1
            self._cond.notify_all()  # an older poll now ends with 409, like Telegram
            try:
                while True:
                    if allowed:
                        kept = [u for u in self._updates if set(u) & set(allowed)]
                        self._updates = deque(kept)
                    if self._updates or self._stop_event.is_set():
                        return copy.deepcopy(list(self._updates)[:limit])
                    if generation != self._poll_generation:
                        raise ApiError(
                            409,
                            "Conflict: terminated by other getUpdates request; make sure "
                            "that only one bot instance is running",
                        )
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return []
                    self._cond.wait(remaining)
            finally:
                self._pollers_waiting -= 1

    def _api_delete_webhook(self, params: JsonDict, files: _Files) -> bool:
        return self._replace_webhook("", params)

    def _api_set_webhook(self, params: JsonDict, files: _Files) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        return self._replace_webhook(url, params)

    def _api_get_webhook_info(self, params: JsonDict, files: _Files) -> JsonDict:
        with self._cond:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    def _api_send_message(self, params: JsonDict, files: _Files) -> JsonDict:
        with self._cond:
            chat_id = self._resolve_chat(params)
            text, entities = parse_text(params, strict_ampersand=self.strict_ampersand)
            markup = inline_markup(params)
            fields: JsonDict = {"text": text}
            if entities:
                fields["entities"] = entities
            if markup:
                fields["reply_markup"] = markup
            state = self._new_message(chat_id, self.bot_user, fields, from_bot=True)
            state.source, state.parse_mode = params["text"], params.get("parse_mode")
            return copy.deepcopy(state.raw)

    def _api_edit_message_text(self, params: JsonDict, files: _Files) -> JsonDict:
        with self._cond:
            state = self._bot_message(params)
            if "text" not in state.raw:
                raise bad_request("there is no text in the message to edit")
            text, entities = parse_text(
                params, strict_ampersand=self.strict_ampersand, too_long="MESSAGE_TOO_LONG"
            )
            # Like Telegram: an edit without reply_markup removes the inline keyboard.
            markup = inline_markup(params)
            old = state.raw
            if (text, entities, markup) == (
                old["text"], old.get("entities", []), old.get("reply_markup")
            ):  # fmt: skip
                raise bad_request(_NOT_MODIFIED)
            for key in ("entities", "reply_markup"):
                old.pop(key, None)
            old["text"] = text
            if entities:
                old["entities"] = entities
            if markup:
                old["reply_markup"] = markup
            old["edit_date"] = int(time.time())
            state.source, state.parse_mode = params["text"], params.get("parse_mode")
            state.edit_count += 1
            return copy.deepcopy(old)

    def _api_edit_message_reply_markup(self, params: JsonDict, files: _Files) -> JsonDict:
        with self._cond:
            state = self._bot_message(params)
            markup = inline_markup(params)
            if markup == state.raw.get("reply_markup"):
                raise bad_request(_NOT_MODIFIED)
            state.raw.pop("reply_markup", None)
            if markup:
                state.raw["reply_markup"] = markup
            state.raw["edit_date"] = int(time.time())
            state.edit_count += 1
            return copy.deepcopy(state.raw)

    def _api_answer_callback_query(self, params: JsonDict, files: _Files) -> bool:
        with self._cond:
            query_id = str(params.get("callback_query_id") or "")
            if query_id not in self._open_queries:
                raise bad_request(
                    "query is too old and response timeout expired or query ID is invalid"
                )
            self._open_queries.discard(query_id)
        return True

    def _api_set_my_commands(self, params: JsonDict, files: _Files) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("commands must be an array")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params)
        with self._cond:
            self._commands[key] = copy.deepcopy(commands)
        return True

    def _api_get_my_commands(self, params: JsonDict, files: _Files) -> list[JsonDict]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    def _api_delete_my_commands(self, params: JsonDict, files: _Files) -> bool:
        key = _commands_key(params)
        with self._cond:
            self._commands.pop(key, None)
        return True

    def _api_send_chat_action(self, params: JsonDict, files: _Files) -> bool:
        with self._cond:
            self._resolve_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _api_get_file(self, params: JsonDict, files: _Files) -> JsonDict:
        with self._cond:
            stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    def _api_send_document(self, params: JsonDict, files: _Files) -> JsonDict:
        with self._cond:
            chat_id = self._resolve_chat(params)
            document = params.get("document")
            upload = files.get("document")
            if isinstance(document, str) and document.startswith("attach://"):
                upload = files.get(document.removeprefix("attach://"))
            if upload is not None:
                stored = self._store_file(upload.filename, upload.content, upload.mime_type)
            elif isinstance(document, str) and document in self._files:
                stored = self._files[document]
            else:
                raise bad_request("wrong file identifier/HTTP URL specified")
            fields: JsonDict = {"document": stored.document_json()}
            if params.get("caption"):
                caption, entities = parse_caption(params, strict_ampersand=self.strict_ampersand)
                fields["caption"] = caption
                if entities:
                    fields["caption_entities"] = entities
            markup = inline_markup(params)
            if markup:
                fields["reply_markup"] = markup
            state = self._new_message(chat_id, self.bot_user, fields, from_bot=True)
            state.source = str(params.get("caption") or "")
            state.parse_mode = params.get("parse_mode")
            state.document = stored
            return copy.deepcopy(state.raw)


def _commands_key(params: JsonDict) -> tuple[str, str]:
    return commands_key(params.get("scope"), params.get("language_code") or "")
