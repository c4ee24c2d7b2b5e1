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

The fake is split by concept; this module is its front door and re-exports the public
names of the others. ``telegram_html`` parses Telegram HTML; ``botapi_records`` holds the
records tests read; ``botapi_state`` the chats, messages, files and updates queue;
``botapi_calls`` the call log and waits; ``botapi_failures`` failure injection;
``botapi_content`` text, caption and keyboard checks; ``botapi_methods`` the per-method
handlers; ``botapi_http`` the HTTP server and wire format.
"""

from __future__ import annotations

import logging
import re
import ssl
import threading
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

from tests.fakes.botapi_calls import CallLog
from tests.fakes.botapi_content import CALLBACK_DATA_LIMIT, CAPTION_LIMIT, MESSAGE_LIMIT
from tests.fakes.botapi_failures import FailureRules
from tests.fakes.botapi_http import (
    Response,
    Server,
    decode_request,
    error_response,
    result_response,
)
from tests.fakes.botapi_methods import METHODS, ApiMethods
from tests.fakes.botapi_records import (
    ApiError,
    Call,
    JsonDict,
    Keyboard,
    SentMessage,
    StoredFile,
    Upload,
    WaitTimeout,
)
from tests.fakes.telegram_html import HtmlParseError, parse_html, utf16_len

__all__ = [
    "CALLBACK_DATA_LIMIT",
    "CAPTION_LIMIT",
    "DEFAULT_TOKEN",
    "MESSAGE_LIMIT",
    "Call",
    "FakeBotApi",
    "HtmlParseError",
    "JsonDict",
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


class FakeBotApi(ApiMethods, CallLog, FailureRules):
    """The fake Bot API server; see the module docstring for a usage sketch."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "newsbot_test_bot",
        bot_first_name: str = "NewsBot",
        strict_ampersand: bool = True,
        host: str = "127.0.0.1",
        tls: bool = False,
    ) -> None:
        bot_id = token.split(":", 1)[0]
        bot_user: JsonDict = {
            "id": int(bot_id) if bot_id.isdigit() else 1,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        super().__init__(bot_user, strict_ampersand=strict_ampersand)
        self.token = token
        self._host = host
        self._tls = tls
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeBotApi:
        """Bind a free loopback port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeBotApi is already started")
        self._server = Server(self._handle_http, self._host, _server_context() if self._tls else None)
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
        """``http://127.0.0.1:<port>`` (``https`` with ``tls=True``), the server's root."""
        if self._server is None:
            raise RuntimeError("FakeBotApi is not started")
        host, port = self._server.server_address[:2]
        return f"{'https' if self._tls else 'http'}://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        """What to give ``Bot(base_url=...)`` / ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What to give ``Bot(base_file_url=...)`` / ``ApplicationBuilder().base_file_url()``."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ routing

    def _handle_http(
        self, verb: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> Response:
        """Answer one request: a file download or an API call, recorded either way."""
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        file_match = re.fullmatch(r"/file/bot([^/]*)/(.+)", path)
        if file_match:
            return self._serve_file(*file_match.groups())
        api_match = re.fullmatch(r"/bot([^/]*)/([^/]*)", path)
        if not api_match:
            return error_response(ApiError(404, "Not Found"))
        token, name = api_match.groups()
        try:
            params, files = decode_request(parts.query, headers, body)
        except ApiError as error:
            return error_response(error)
        method = METHODS.get(name.lower(), name)
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if name.lower() not in METHODS:
                raise ApiError(404, "Not Found")
            self._delay(method, params)
            with self._cond:
                self._inject_failures(method, params)
            result = self._answer(method, params, files)
        except ApiError as error:
            self._record(method, params, files, ok=False, error=error)
            return error_response(error)
        except Exception:
            _LOG.exception("fake Bot API failed on %s", method)
            internal = ApiError(500, "Internal Server Error")
            self._record(method, params, files, ok=False, error=internal)
            return error_response(internal)
        self._record(method, params, files, ok=True, result=result)
        return result_response(result)

    def _serve_file(self, token: str, file_path: str) -> Response:
        with self._cond:
            stored = next((f for f in self._files.values() if f.file_path == file_path), None)
        if token != self.token or stored is None:
            return error_response(ApiError(404, "Not Found"))
        return 200, stored.content, stored.mime_type


TLS_CERTIFICATE = Path(__file__).with_name("tls") / "cert.pem"
"""The self-signed certificate (127.0.0.1 and localhost) a ``tls=True`` fake serves:
clients trust it through ``SSL_CERT_FILE``, as an operator trusts a private CA."""


def _server_context() -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS_CERTIFICATE, TLS_CERTIFICATE.with_name("key.pem"))
    return context
