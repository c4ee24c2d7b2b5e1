"""The HTTP side of the fake: a threaded loopback server and the Bot API's wire format.

The server knows nothing of Telegram: it hands each request to one ``Responder`` (the
fake's router) and writes back what it returns. Request decoding and error bodies
follow what PTB sends and expects from the real API.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

from tests.fakes.botapi_records import ApiError, JsonDict, Upload, bad_request

__all__ = [
    "Responder",
    "Response",
    "Server",
    "decode_request",
    "error_response",
    "result_response",
]

Response = tuple[int, bytes, str]
"""(HTTP status, body, Content-Type)."""
Responder = Callable[[str, str, dict[str, str], bytes], Response]
"""Answers (verb, raw path, headers, body)."""

# Form and multipart values arrive as strings; these stay strings, the rest is JSON-decoded
# (PTB JSON-encodes every non-string parameter).
_STRING_PARAMS = {
    "text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "file_id",
    "url", "secret_token", "language_code", "action", "business_connection_id",
    "message_effect_id", "ip_address", "document", "thumbnail",
}  # fmt: skip


class Server(ThreadingHTTPServer):
    """Serves on a free port of ``host``; every request goes to ``answer``."""

    daemon_threads = True

    def __init__(self, answer: Responder, host: str, tls: ssl.SSLContext | None = None) -> None:
        self.answer = answer
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__((host, 0), _Handler)
        if tls is not None:
            # The handshake happens in each connection's own thread, on its first read.
            self.socket = tls.wrap_socket(self.socket, server_side=True,
                                          do_handshake_on_connect=False)

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
    server: Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def _serve(self, verb: str) -> None:
        body = self._read_body()
        status, payload, content_type = self.server.answer(
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


def decode_request(
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
                raise bad_request("JSON object expected")
            raw.update(loaded)
        elif kind == "multipart/form-data":
            form, files = _parse_multipart(content_type, body)
            raw.update(form)
        elif body:
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(f"can't parse request body: {error}") from error
    return {name: _decode_value(name, value) for name, value in raw.items()}, files


def result_response(result: Any) -> Response:
    return 200, _json_bytes({"ok": True, "result": result}), "application/json"


def error_response(error: ApiError) -> Response:
    payload: JsonDict = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        payload["parameters"] = error.parameters
    return error.code, _json_bytes(payload), "application/json"


def _json_bytes(payload: JsonDict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


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
        raise bad_request("multipart boundary is missing")
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
