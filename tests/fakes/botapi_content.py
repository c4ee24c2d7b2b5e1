"""What Telegram accepts in a message: formatted text and captions within their length
limits, and inline keyboards whose buttons it can store.

These are the checks our bot has failed in production, so the fake answers them with
Telegram's own Bad Request reasons.
"""

from __future__ import annotations

import copy
import re

from tests.fakes.botapi_records import JsonDict, bad_request
from tests.fakes.telegram_html import HtmlParseError, parse_html, utf16_len

__all__ = [
    "CALLBACK_DATA_LIMIT",
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "inline_markup",
    "parse_caption",
    "parse_text",
]

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64


def parse_text(
    params: JsonDict, *, strict_ampersand: bool, too_long: str = "message is too long"
) -> tuple[str, list[JsonDict]]:
    """The message text and its entities; editMessageText words "too long" differently."""
    return _parse(params, "text", MESSAGE_LIMIT, "message text is empty", too_long,
                  strict_ampersand)  # fmt: skip


def parse_caption(params: JsonDict, *, strict_ampersand: bool) -> tuple[str, list[JsonDict]]:
    """A document's caption and its entities."""
    return _parse(params, "caption", CAPTION_LIMIT, "message caption is empty",
                  "message caption is too long", strict_ampersand)  # fmt: skip


def inline_markup(params: JsonDict) -> JsonDict | None:
    """Validate reply_markup; return it when Telegram echoes it (inline keyboards)."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None  # reply keyboards and removals are accepted but not echoed
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("can't parse inline keyboard button: Text is missing")
            data = button.get("callback_data")
            if data is not None:
                size = len(str(data).encode("utf-8"))
                if not 1 <= size <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
            elif "url" in button:
                if not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                    raise bad_request("BUTTON_URL_INVALID")
            elif len(button) == 1:
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
    return {"inline_keyboard": copy.deepcopy(rows)}


def _parse(
    params: JsonDict, key: str, limit: int, empty: str, too_long: str, strict_ampersand: bool
) -> tuple[str, list[JsonDict]]:
    """Parse text or caption like Telegram: entities first, then the length check."""
    source = params.get(key)
    if not isinstance(source, str) or not source:
        raise bad_request(empty)
    parse_mode = params.get("parse_mode")
    if parse_mode:
        if parse_mode.lower() == "html":
            try:
                text, entities = parse_html(source, strict_ampersand=strict_ampersand)
            except HtmlParseError as error:
                raise bad_request(f"can't parse entities: {error}") from error
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            text, entities = source, []  # accepted, not parsed: our bot renders HTML
        else:
            raise bad_request("unsupported parse_mode")
    else:
        text = source
        entities = list(params.get("entities" if key == "text" else "caption_entities") or [])
    if not text.strip():
        raise bad_request(empty)
    if utf16_len(text) > limit:
        raise bad_request(too_long)
    return text, entities
