"""A fake Telegram Bot API server on loopback, so bot tests drive the real PTB stack.

Why a server and not a mock: python-telegram-bot's HTTP client, ``Application`` and
``Updater`` (long polling, offsets, error mapping) only get exercised when something
answers on the other side of a socket. This fake speaks the Bot API's HTTP protocol,
validates what breaks our bot in production (Telegram HTML, UTF-16 lengths,
``callback_data`` size, "message is not modified"), records every call, and lets a test
inject updates (text, button presses, documents) and failures (429, 403, migration).

It runs a ``ThreadingHTTPServer`` in a background thread, so the bot under test can run
its own asyncio loop in the test thread. Use :meth:`FakeBotApi.wait_for` from other
threads and ``await`` :meth:`FakeBotApi.wait_for_async` from the bot's loop::

    with FakeBotApi() as fake:
        app = (ApplicationBuilder().token(fake.token)
               .base_url(fake.base_url).base_file_url(fake.base_file_url).build())
        ...
        fake.send_text(42, "/start")
        await fake.wait_for_async("sendMessage")
        assert fake.last_message(42).text == "hi"

Known differences from Telegram, on purpose: a bare ``&`` is an error here (Telegram keeps
it literally) unless ``strict_ampersand=False``; Markdown parse modes are accepted but not
parsed; inline-mode messages, media other than documents and most methods are absent.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import mimetypes
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "DEFAULT_TOKEN",
    "Call",
    "FakeBotApi",
    "HtmlParseError",
    "Keyboard",
    "SentMessage",
    "StoredFile",
    "Upload",
    "WaitTimeout",
    "parse_html",
    "utf16_len",
]

_LOG = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-token"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_MAX_POLL_SECONDS = 50.0

JsonDict = dict[str, Any]
_Files = dict[str, "Upload"]
Keyboard = list[list[tuple[str, str | None]]]
"""Rows of ``(button text, callback_data or url or None)``."""

_METHOD_NAMES = (
    "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo",
    "sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
    "setMyCommands", "getMyCommands", "deleteMyCommands", "sendChatAction", "getFile",
    "sendDocument",
)  # fmt: skip
# Telegram matches method names case-insensitively.
_METHODS = {name.lower(): name for name in _METHOD_NAMES}
_RATE_LIMITED = {"sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
# Form and multipart values arrive as strings; these stay strings, the rest is JSON-decoded
# (PTB JSON-encodes every non-string parameter).
_STRING_PARAMS = {
    "text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "file_id",
    "url", "secret_token", "language_code", "action", "business_connection_id",
    "message_effect_id", "ip_address", "document", "thumbnail",
}  # fmt: skip
_CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice",
    "upload_voice", "upload_document", "choose_sticker", "find_location",
    "record_video_note", "upload_video_note",
}  # fmt: skip
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP is 2)."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


# --------------------------------------------------------------------------- HTML parsing


class HtmlParseError(ValueError):
    """Telegram's "can't parse entities" reason, worded like TDLib's."""


_HTML_TAGS = {
    "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "tg-emoji", "code", "pre", "blockquote",
}  # fmt: skip
_SIMPLE_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
_NAMED_CHARS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\f\0"


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _decode_char_ref(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&...`` at ``pos`` like TDLib (``;`` optional); None if not an entity."""
    end, size = pos + 1, len(text)
    if end < size and text[end] == "#":
        end += 1
        base, digits = 10, "0123456789"
        if end < size and text[end] == "x":
            end += 1
            base, digits = 16, "0123456789abcdefABCDEF"
        value = 0
        while end < size and text[end] in digits:
            value = value * base + int(text[end], 16)
            end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None
        if 0xD800 <= value <= 0xDFFF:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        char = chr(value)
    else:
        while end < size and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_CHARS.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < size and text[end] == ";":
        end += 1
    return char, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the parsed text
    text_index: int  # index in the parsed text, for <a> without href


def _parse_attributes(text: str, i: int, tag: str, begin: int) -> tuple[str, int]:
    """Parse a start tag's attributes from ``i``; return (argument, index of ``>``)."""
    size, argument = len(text), ""
    while True:
        while i < size and text[i] in _SPACES:
            i += 1
        if i >= size:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if text[i] == ">":
            return argument, i
        name_start = i
        while i < size and text[i] not in _SPACES and text[i] not in "=>":
            i += 1
        name = text[name_start:i]
        while i < size and text[i] in _SPACES:
            i += 1
        if i >= size or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                argument = "expandable"
                continue
            raise HtmlParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {begin}"
            )
        i += 1
        while i < size and text[i] in _SPACES:
            i += 1
        if i >= size:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if text[i] in "'\"":
            quote, value_chars = text[i], []
            i += 1
            while i < size and text[i] != quote:
                decoded = _decode_char_ref(text, i) if text[i] == "&" else None
                if decoded is not None:
                    value_chars.append(decoded[0])
                    i = decoded[1]
                else:
                    value_chars.append(text[i])
                    i += 1
            i += 1
            value = "".join(value_chars)
        else:
            token_start = i
            while i < size and (text[i].isascii() and text[i].isalnum() or text[i] in ".-"):
                i += 1
            value = text[token_start:i].lower()
            if i < size and text[i] not in _SPACES and text[i] != ">":
                offset = _byte_offset(text, token_start)
                raise HtmlParseError(f"Unexpected end of name token at byte offset {offset}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value


def _close_entity(opened: _OpenTag, end: int, plain: list[str], out: list[JsonDict]) -> None:
    """Turn a closed tag into a Bot API entity (TDLib drops empty ones)."""
    length = end - opened.offset
    if length <= 0:
        return
    entity: JsonDict = {"offset": opened.offset, "length": length}
    tag = opened.name
    if tag in _SIMPLE_ENTITY:
        entity["type"] = _SIMPLE_ENTITY[tag]
    elif tag == "a":
        url = opened.argument or "".join(plain[opened.text_index :])
        user = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False, "first_name": ""}
        elif re.match(r"^(https?|tg|ftp)://\S+$|^[\w.-]+\.\w+", url):
            entity["type"] = "text_link"
            entity["url"] = url
        else:
            return  # TDLib drops links with an invalid URL, keeping the text
    elif tag == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = opened.argument
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
    elif tag == "pre":
        last = out[-1] if out else {}
        if (
            last.get("type") == "code"
            and last.get("language")
            and ((last["offset"], last["length"]) == (opened.offset, length))
        ):
            last["type"] = "pre"  # <pre><code class="language-x"> is one pre entity
            return
        entity["type"] = "pre"
    else:  # code
        entity["type"] = "code"
        if opened.argument:
            entity["language"] = opened.argument
    out.append(entity)


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JsonDict]]:
    """Parse Telegram HTML into (plain text, Bot API entities), mirroring TDLib's parser.

    Raises HtmlParseError with TDLib's wording for unsupported, unclosed or mismatched
    tags and a bare ``<``. A bare ``&`` is literal in Telegram; ``strict_ampersand``
    (the default) rejects it so escaping bugs surface in tests.
    """
    plain: list[str] = []
    entities: list[JsonDict] = []
    stack: list[_OpenTag] = []
    offset = 0
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "&":
            decoded = _decode_char_ref(text, i)
            if decoded is not None:
                plain.append(decoded[0])
                offset += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise HtmlParseError(
                    f'Character "&" at byte offset {_byte_offset(text, i)} must be escaped '
                    "as &amp; (the fake is stricter than Telegram here)"
                )
        if char != "<":
            plain.append(char)
            offset += utf16_len(char)
            i += 1
            continue
        begin = _byte_offset(text, i)
        i += 1
        if i < size and text[i] == "/":
            i += 1
            name_start = i
            while i < size and text[i] not in _SPACES and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < size and text[i] in _SPACES:
                i += 1
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            if i >= size or text[i] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            opened = stack.pop()
            if end_name and end_name != opened.name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{opened.name}>", '
                    f'found "</{end_name}>"'
                )
            _close_entity(opened, offset, plain, entities)
            i += 1
            continue
        name_start = i
        while i < size and text[i] not in _SPACES and text[i] != ">":
            i += 1
        if i >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        tag = text[name_start:i].lower()
        if tag not in _HTML_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument, i = _parse_attributes(text, i, tag, begin)
        if tag == "span" and argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        stack.append(_OpenTag(tag, argument, offset, len(plain)))
        i += 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(plain), entities


# --------------------------------------------------------------------------- records


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


@dataclass
class _MessageState:
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
class _FailRule:
    method: str
    error_code: int
    description: str
    parameters: JsonDict
    remaining: int
    chat_id: int | str | None


class _ApiError(Exception):
    """An error answer: HTTP status = error_code, like the real API."""

    def __init__(self, code: int, description: str, parameters: JsonDict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters or {}


def _bad_request(reason: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {reason}")


# --------------------------------------------------------------------------- HTTP layer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeBotApi, host: str) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__((host, 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Drop idle keep-alive connections so their handler threads end with the server."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (a cancelled long poll) is normal here, not a failure.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects from Telegram
    timeout = 120  # idle keep-alive sockets give up eventually
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms stalls
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def _serve(self, verb: str) -> None:
        body = self._read_body()
        status, payload, content_type = self.server.fake._handle_http(
            verb, self.path, dict(self.headers.items()), body
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except OSError:  # the client gave up waiting (e.g. PTB cancelled its poll)
            self.close_connection = True

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _decode_value(name: str, value: Any) -> Any:
    if not isinstance(value, str) or name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_multipart(content_type: str, body: bytes) -> tuple[JsonDict, dict[str, Upload]]:
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if not found:
        raise _bad_request("multipart boundary is missing")
    params: JsonDict = {}
    files: dict[str, Upload] = {}
    for part in body.split(b"--" + found.group(1).encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        fields = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', disposition))
        name = unquote(fields.get("name", ""))
        if "filename" in fields:
            files[name] = Upload(unquote(fields["filename"]), data, headers.get("content-type"))
        else:
            params[name] = data.decode("utf-8")
    return params, files


# --------------------------------------------------------------------------- the fake


class FakeBotApi:
    """The fake Bot API server; see the module docstring for a usage sketch."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "newsbot_test_bot",
        bot_first_name: str = "NewsBot",
        strict_ampersand: bool = True,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.strict_ampersand = strict_ampersand
        self.bot_user: JsonDict = {
            "id": int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._host = host
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
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
        self._chats: dict[int, JsonDict] = {}
        self._channel_ids: dict[str, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], _MessageState] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._open_queries: set[str] = set()
        self._query_counter = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        # Failure injection.
        self._fail_rules: list[_FailRule] = []
        self._delays: dict[str, float] = {}
        self._rate: tuple[float, int, bool] | None = None
        self._rate_windows: dict[Any, deque[float]] = {}

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeBotApi:
        """Bind a free loopback port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeBotApi is already started")
        self._server = _Server(self, self._host)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-bot-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes long polls and slow calls at once. Safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stop_event.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, the server's root."""
        if self._server is None:
            raise RuntimeError("FakeBotApi is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        """What to give ``Bot(base_url=...)`` / ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What to give ``Bot(base_file_url=...)`` / ``ApplicationBuilder().base_file_url()``."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ injecting updates

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

    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._cond:
            return copy.deepcopy(list(self._updates))

    # ------------------------------------------------------------------ recording

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls in arrival order, optionally of one method (any letter case)."""
        wanted = _canonical(method) if method else None
        with self._cond:
            return [call for call in self._calls if wanted is None or call.method == wanted]

    def mark(self) -> int:
        """The index the next call will get: pass it as ``since=`` to wait for new calls."""
        with self._cond:
            return self._next_call_index

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent, in order, each as it looks after its edits."""
        with self._cond:
            return [
                self._messages[key].snapshot()
                for key in self._sent
                if chat_id is None or key[0] == chat_id
            ]

    def last_message(self, chat_id: int | None = None) -> SentMessage:
        """The bot's latest message (to ``chat_id``); AssertionError if there is none."""
        messages = self.sent_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot sent no message to {chat_id or 'any chat'}")
        return messages[-1]

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """The command list set for a scope (default scope when None) and language."""
        with self._cond:
            return copy.deepcopy(self._commands.get(_commands_key(scope, language_code), []))

    def wait_for(
        self,
        what: str | Callable[[Call], bool],
        count: int = 1,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> list[Call]:
        """Block until ``count`` calls (from index ``since``) match; returns them all.

        ``what`` is a method name or a predicate on :class:`Call`. Woken by each call, so
        ``timeout`` is only a failure guard. Do not call it from the bot's event loop:
        use :meth:`wait_for_async` there.
        """
        matches: Callable[[Call], bool]
        if isinstance(what, str):
            method = label = _canonical(what)

            def matches(call: Call) -> bool:
                return call.method == method

        else:
            matches, label = what, getattr(what, "__name__", repr(what))
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [call for call in self._calls if call.index >= since and matches(call)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(
                        f"{c.method}{'' if c.ok else f'->{c.error_code}'}" for c in self._calls
                    )
                    raise WaitTimeout(
                        f"waited {timeout}s for {count} call(s) matching {label}, found "
                        f"{len(found)}; calls so far: [{seen}]"
                    )
                self._cond.wait(remaining)

    async def wait_for_async(
        self,
        what: str | Callable[[Call], bool],
        count: int = 1,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> list[Call]:
        """:meth:`wait_for` without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for, what, count, timeout, since=since)

    def wait_for_poll(self, timeout: float = 5.0) -> None:
        """Block until a getUpdates long poll is waiting (to test that injection wakes it)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pollers_waiting == 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(f"no getUpdates long poll began within {timeout}s")
                self._cond.wait(remaining)

    def clear(self) -> None:
        """Forget recorded calls and the sent-message list; chats, ids and files remain."""
        with self._cond:
            self._calls.clear()
            self._sent.clear()

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``) with an error."""
        parameters: JsonDict = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        if description is None:
            description = _default_description(error_code, retry_after, migrate_to_chat_id)
        rule = _FailRule(_canonical(method), error_code, description, parameters, times, chat_id)
        with self._cond:
            self._fail_rules.append(rule)

    def slow(self, method: str, seconds: float) -> None:
        """Delay every answer to ``method`` by ``seconds`` (0 removes the delay)."""
        with self._cond:
            if seconds > 0:
                self._delays[_canonical(method)] = seconds
            else:
                self._delays.pop(_canonical(method), None)

    def rate_limit(
        self, per_second: float | None, *, retry_after: int = 1, per_chat: bool = False
    ) -> None:
        """Answer 429 to sends beyond ``per_second`` in any 1 s window (None turns it off)."""
        with self._cond:
            self._rate = None if per_second is None else (per_second, retry_after, per_chat)
            self._rate_windows.clear()

    # ------------------------------------------------------------------ request handling

    def _handle_http(
        self, verb: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        file_match = re.fullmatch(r"/file/bot([^/]*)/(.+)", path)
        if file_match:
            return self._serve_file(*file_match.groups())
        api_match = re.fullmatch(r"/bot([^/]*)/([^/]*)", path)
        if not api_match:
            return _error_response(_ApiError(404, "Not Found"))
        token, name = api_match.groups()
        try:
            params, files = _decode_request(parts.query, headers, body)
        except _ApiError as error:
            return _error_response(error)
        method = _METHODS.get(name.lower(), name)
        try:
            if token != self.token:
                raise _ApiError(401, "Unauthorized")
            if name.lower() not in _METHODS:
                raise _ApiError(404, "Not Found")
            self._delay(method)
            with self._cond:
                self._inject_failures(method, params)
            result = getattr(self, _handler_name(method))(params, files)
        except _ApiError as error:
            self._record(method, params, files, ok=False, error=error)
            return _error_response(error)
        except Exception:
            _LOG.exception("fake Bot API failed on %s", method)
            internal = _ApiError(500, "Internal Server Error")
            self._record(method, params, files, ok=False, error=internal)
            return _error_response(internal)
        self._record(method, params, files, ok=True, result=result)
        return 200, _json_bytes({"ok": True, "result": result}), "application/json"

    def _serve_file(self, token: str, file_path: str) -> tuple[int, bytes, str]:
        with self._cond:
            stored = next((f for f in self._files.values() if f.file_path == file_path), None)
        if token != self.token or stored is None:
            return _error_response(_ApiError(404, "Not Found"))
        return 200, stored.content, stored.mime_type

    def _delay(self, method: str) -> None:
        with self._cond:
            seconds = self._delays.get(method, 0.0)
        if seconds:
            self._stop_event.wait(seconds)

    def _inject_failures(self, method: str, params: JsonDict) -> None:
        chat_id = params.get("chat_id")
        for rule in self._fail_rules:
            if rule.method == method and (rule.chat_id is None or rule.chat_id == chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._fail_rules.remove(rule)
                raise _ApiError(rule.error_code, rule.description, dict(rule.parameters))
        if self._rate is None or method not in _RATE_LIMITED:
            return
        per_second, retry_after, per_chat = self._rate
        window = self._rate_windows.setdefault(chat_id if per_chat else None, deque())
        now = time.monotonic()
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= per_second:
            raise _ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        window.append(now)

    def _record(
        self,
        method: str,
        params: JsonDict,
        files: dict[str, Upload],
        *,
        ok: bool,
        result: Any = None,
        error: _ApiError | None = None,
    ) -> None:
        with self._cond:
            self._calls.append(
                Call(
                    index=self._next_call_index,
                    method=method,
                    params=params,
                    files=files,
                    ok=ok,
                    result=result,
                    error_code=error.code if error else None,
                    description=error.description if error else None,
                )
            )
            self._next_call_index += 1
            self._cond.notify_all()

    # ------------------------------------------------------------------ state helpers

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
            raise _bad_request("chat_id is empty")
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
        raise _bad_request("chat not found")

    def _new_message(
        self, chat_id: int, sender: JsonDict, fields: JsonDict, *, from_bot: bool
    ) -> _MessageState:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        raw: JsonDict = {
            "message_id": message_id,
            "from": dict(sender),
            "chat": self._chat_json(chat_id),
            "date": int(time.time()),
            **fields,
        }
        state = _MessageState(chat_id, message_id, raw, from_bot)
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

    def _format(
        self, params: JsonDict, key: str, limit: int, empty: str, too_long: str
    ) -> tuple[str, list[JsonDict]]:
        """Parse text or caption like Telegram: entities first, then the length check."""
        source = params.get(key)
        if not isinstance(source, str) or not source:
            raise _bad_request(empty)
        parse_mode = params.get("parse_mode")
        if parse_mode:
            if parse_mode.lower() == "html":
                try:
                    text, entities = parse_html(source, strict_ampersand=self.strict_ampersand)
                except HtmlParseError as error:
                    raise _bad_request(f"can't parse entities: {error}") from error
            elif parse_mode.lower() in ("markdown", "markdownv2"):
                text, entities = source, []  # accepted, not parsed: our bot renders HTML
            else:
                raise _bad_request("unsupported parse_mode")
        else:
            text = source
            entities = list(params.get("entities" if key == "text" else "caption_entities") or [])
        if not text.strip():
            raise _bad_request(empty)
        if utf16_len(text) > limit:
            raise _bad_request(too_long)
        return text, entities

    def _inline_markup(self, params: JsonDict) -> JsonDict | None:
        """Validate reply_markup; return it when Telegram echoes it (inline keyboards)."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return None  # reply keyboards and removals are accepted but not echoed
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad_request("can't parse inline keyboard button: Text is missing")
                data = button.get("callback_data")
                if data is not None:
                    size = len(str(data).encode("utf-8"))
                    if not 1 <= size <= CALLBACK_DATA_LIMIT:
                        raise _bad_request("BUTTON_DATA_INVALID")
                elif "url" in button:
                    if not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                        raise _bad_request("BUTTON_URL_INVALID")
                elif len(button) == 1:
                    raise _bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
        return {"inline_keyboard": copy.deepcopy(rows)}

    def _bot_message(self, params: JsonDict) -> _MessageState:
        """The bot's own message named by chat_id + message_id, for the edit methods."""
        if params.get("inline_message_id"):
            raise _bad_request("inline messages are not supported by the fake")
        chat_id = self._resolve_chat(params)
        state = self._messages.get((chat_id, params.get("message_id")))  # type: ignore[arg-type]
        if state is None:
            raise _bad_request("message to edit not found")
        if not state.from_bot:
            raise _bad_request("message can't be edited")
        return state

    # ------------------------------------------------------------------ API methods
    # One _api_<snake_case> per Bot API method; _handle_http dispatches by name.

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
                raise _ApiError(
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
                        raise _ApiError(
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
        with self._cond:
            self._webhook_url = ""
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    def _api_set_webhook(self, params: JsonDict, files: _Files) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if url and not url.startswith("https://"):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        with self._cond:
            self._webhook_url = url
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

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
            text, entities = self._format(
                params, "text", MESSAGE_LIMIT, "message text is empty", "message is too long"
            )
            markup = self._inline_markup(params)
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
                raise _bad_request("there is no text in the message to edit")
            text, entities = self._format(
                params, "text", MESSAGE_LIMIT, "message text is empty", "MESSAGE_TOO_LONG"
            )
            # Like Telegram: an edit without reply_markup removes the inline keyboard.
            markup = self._inline_markup(params)
            old = state.raw
            if (text, entities, markup) == (
                old["text"], old.get("entities", []), old.get("reply_markup")
            ):  # fmt: skip
                raise _bad_request(_NOT_MODIFIED)
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
            markup = self._inline_markup(params)
            if markup == state.raw.get("reply_markup"):
                raise _bad_request(_NOT_MODIFIED)
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
                raise _bad_request(
                    "query is too old and response timeout expired or query ID is invalid"
                )
            self._open_queries.discard(query_id)
        return True

    def _api_set_my_commands(self, params: JsonDict, files: _Files) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("commands must be an array")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params.get("scope"), params.get("language_code") or "")
        with self._cond:
            self._commands[key] = copy.deepcopy(commands)
        return True

    def _api_get_my_commands(self, params: JsonDict, files: _Files) -> list[JsonDict]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    def _api_delete_my_commands(self, params: JsonDict, files: _Files) -> bool:
        key = _commands_key(params.get("scope"), params.get("language_code") or "")
        with self._cond:
            self._commands.pop(key, None)
        return True

    def _api_send_chat_action(self, params: JsonDict, files: _Files) -> bool:
        with self._cond:
            self._resolve_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _api_get_file(self, params: JsonDict, files: _Files) -> JsonDict:
        with self._cond:
            stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad_request("invalid file_id")
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
                raise _bad_request("wrong file identifier/HTTP URL specified")
            fields: JsonDict = {"document": stored.document_json()}
            if params.get("caption"):
                caption, entities = self._format(
                    params, "caption", CAPTION_LIMIT, "message caption is empty",
                    "message caption is too long",
                )  # fmt: skip
                fields["caption"] = caption
                if entities:
                    fields["caption_entities"] = entities
            markup = self._inline_markup(params)
            if markup:
                fields["reply_markup"] = markup
            state = self._new_message(chat_id, self.bot_user, fields, from_bot=True)
            state.source = str(params.get("caption") or "")
            state.parse_mode = params.get("parse_mode")
            state.document = stored
            return copy.deepcopy(state.raw)


# --------------------------------------------------------------------------- helpers


def _canonical(method: str) -> str:
    """The API's spelling of a method name; ValueError for methods the fake lacks."""
    try:
        return _METHODS[method.lower()]
    except KeyError:
        raise ValueError(f"the fake Bot API has no method {method!r}") from None


def _handler_name(method: str) -> str:
    """``sendMessage`` -> ``_api_send_message``."""
    return "_api_" + re.sub(r"(?<!^)([A-Z])", r"_\1", method).lower()


def _commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


def _default_description(code: int, retry_after: int | None, migrate_to: int | None) -> str:
    if retry_after is not None:
        return f"Too Many Requests: retry after {retry_after}"
    if migrate_to is not None:
        return "Bad Request: group chat was upgraded to a supergroup chat"
    return {
        400: "Bad Request: chat not found",
        403: "Forbidden: bot was blocked by the user",
        429: "Too Many Requests: retry after 1",
    }.get(code, "Internal Server Error")


def _decode_request(
    query: str, headers: dict[str, str], body: bytes
) -> tuple[JsonDict, dict[str, Upload]]:
    """Params from the query string and a form, multipart or JSON body, as Python values."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    raw: JsonDict = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, Upload] = {}
    kind = content_type.split(";")[0].strip().lower()
    try:
        if kind == "application/json" and body:
            loaded = json.loads(body)
            if not isinstance(loaded, dict):
                raise _bad_request("JSON object expected")
            raw.update(loaded)
        elif kind == "multipart/form-data":
            form, files = _parse_multipart(content_type, body)
            raw.update(form)
        elif body:
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except (ValueError, UnicodeDecodeError) as error:
        raise _bad_request(f"can't parse request body: {error}") from error
    return {name: _decode_value(name, value) for name, value in raw.items()}, files


def _json_bytes(payload: JsonDict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _error_response(error: _ApiError) -> tuple[int, bytes, str]:
    payload: JsonDict = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        payload["parameters"] = error.parameters
    return error.code, _json_bytes(payload), "application/json"
