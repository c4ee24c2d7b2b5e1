"""What the fake records for tests to read, and the error answers it gives the bot.

Records are frozen snapshots: a test holding one never sees it change under it, even
though the bot keeps calling the fake from other threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ApiError",
    "Call",
    "JsonDict",
    "Keyboard",
    "SentMessage",
    "StoredFile",
    "Upload",
    "WaitTimeout",
    "bad_request",
]

JsonDict = dict[str, Any]
Keyboard = list[list[tuple[str, str | None]]]
"""Rows of ``(button text, callback_data or url or None)``."""


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request, as the bot uploaded it."""

    filename: str
    content: bytes
    mime_type: str | None


@dataclass(frozen=True)
class StoredFile:
    """A file the fake can serve through getFile and ``/file/bot<token>/<file_path>``."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    content: bytes

    @property
    def file_size(self) -> int:
        return len(self.content)

    def document_json(self) -> JsonDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": self.file_size,
        }


@dataclass(frozen=True)
class Call:
    """One API request as the fake answered it, in arrival order."""

    index: int
    method: str
    params: JsonDict
    files: dict[str, Upload]
    ok: bool
    result: Any = None
    error_code: int | None = None
    description: str | None = None

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent, as it looks now (after any edits)."""

    chat_id: int
    message_id: int
    text: str
    """Plain text after entity parsing (the caption for documents)."""
    source: str
    """The text exactly as the bot sent it (HTML source under parse_mode HTML)."""
    parse_mode: str | None
    entities: list[JsonDict]
    keyboard: Keyboard
    reply_markup: JsonDict | None
    edit_count: int
    document: StoredFile | None
    raw: JsonDict
    """The Message object the API returned last."""

    @property
    def html(self) -> str:
        """The HTML source, or the escaped text when the bot sent plain text."""
        if (self.parse_mode or "").lower() == "html":
            return self.source
        return self.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class WaitTimeout(AssertionError):
    """wait_for gave up: the bot did not make the expected calls in time."""


class ApiError(Exception):
    """An error answer: HTTP status = error_code, like the real API."""

    def __init__(self, code: int, description: str, parameters: JsonDict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters or {}


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")
