"""A lean loopback Bot API for fan-out benchmarks: sendMessage under a flood limit, nothing else.

The test fake (tests/fakes) parses Telegram HTML and keeps every message, which costs more
CPU per request than the bot spends sending it; at 1,000 messages/s it, not the bot, would
be measured. This server answers getMe and sendMessage from a raw asyncio protocol, and,
like Telegram, refuses with 429 (retry_after 1) a send beyond `--rate` in any sliding
second. `GET /stats` returns {"sent": N, "refused": N, "max_per_second": N}.

    python bench/flood_api.py --rate 1000      # prints the port on stdout, serves until killed
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from collections import deque
from urllib.parse import unquote_plus

_CHAT = re.compile(rb"(?:^|&)chat_id=(-?\d+)")
_TEXT = re.compile(rb"(?:^|&)text=([^&]*)")
_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_ME = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}


class FloodLimit:
    """Sends accepted in the last second; a send that would make it more than `rate` is refused."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.window: deque[float] = deque()
        self.sent = self.refused = self.max_per_second = 0
        self.message_ids: dict[int, int] = {}

    def admit(self) -> bool:
        now = time.monotonic()
        window = self.window
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= self.rate:
            self.refused += 1
            return False
        window.append(now)
        self.sent += 1
        self.max_per_second = max(self.max_per_second, len(window))
        return True


class _Connection(asyncio.Protocol):
    def __init__(self, limit: FloodLimit) -> None:
        self.limit = limit
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            length = _LENGTH.search(self.buffer, 0, end + 2)
            total = end + 4 + (int(length.group(1)) if length else 0)
            if len(self.buffer) < total:
                return
            head, body = self.buffer[:end], self.buffer[end + 4:total]
            self.buffer = self.buffer[total:]
            self.respond(head.split(b" ", 2)[1], body)

    def respond(self, path: bytes, body: bytes) -> None:
        status, payload = 200, self.answer(path, body)
        if payload is None:
            status, payload = 429, {"ok": False, "error_code": 429,
                                    "description": "Too Many Requests: retry after 1",
                                    "parameters": {"retry_after": 1}}
        data = json.dumps(payload).encode()
        assert self.transport is not None
        self.transport.write(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (status, len(data), data))

    def answer(self, path: bytes, body: bytes) -> dict[str, object] | None:
        if path.endswith(b"/getMe"):
            return {"ok": True, "result": _ME}
        if path == b"/stats":
            limit = self.limit
            return {"sent": limit.sent, "refused": limit.refused,
                    "max_per_second": limit.max_per_second}
        if not path.endswith(b"/sendMessage"):
            return {"ok": False, "error_code": 404, "description": "Not Found"}
        if not self.limit.admit():
            return None
        found, text = _CHAT.search(body), _TEXT.search(body)
        chat_id = int(found.group(1)) if found else 0
        plain = unquote_plus(text.group(1).decode()) if text else ""
        ids = self.limit.message_ids
        message_id = ids[chat_id] = ids.get(chat_id, 0) + 1
        # Telegram echoes the message with its entities; the bot parses all of it.
        entities = [{"type": "bold", "offset": 10 * n, "length": 5} for n in range(12)]
        return {"ok": True, "result": {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Reader"},
            "from": _ME, "text": plain, "entities": entities}}


async def serve(rate: int, port: int) -> None:
    limit = FloodLimit(rate)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Connection(limit), "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.rate, args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
