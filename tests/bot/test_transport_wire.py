"""The lean client's HTTP/1.1 against a scripted loopback server: framing and connections.

The Bot API fake answers the way Telegram usually does (keep-alive, Content-Length);
these cover the rest of what a server may do, since every call of the bot goes through
this client: chunked bodies, `Connection: close`, a body ended by closing, an idle
connection the server dropped, a server that never answers, and one that is not there.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.answers import may_have_arrived
from bot.transport import LeanRequest

Answer = Callable[[int], bytes]  # request number (from 0) -> the raw answer


class Server:
    """Answers each request with `answer(n)`; counts connections and requests."""

    def __init__(self, answer: Answer, *, close_after: bool = False) -> None:
        self.answer, self.close_after = answer, close_after
        self.connections = self.requests = 0
        self.server: asyncio.Server | None = None
        self.open: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> Server:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.open:
            writer.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/bot123:abc/getMe"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open.append(writer)
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            await reader.readexactly(length)
            answer = self.answer(self.requests)
            self.requests += 1
            writer.write(answer)
            await writer.drain()
            framed = b"Content-Length" in answer or b"chunked" in answer
            if self.close_after or b"Connection: close" in answer or not framed:
                writer.close()
                return


def ok(body: bytes, *extra: str) -> bytes:
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", *extra]
    if not any(h.startswith("Transfer-Encoding") for h in extra):
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def chunked(body: bytes) -> bytes:
    parts = [body[:5], body[5:]]
    encoded = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts if p)
    return ok(encoded + b"0\r\n\r\n", "Transfer-Encoding: chunked")


BODY = b'{"ok":true,"result":{"id":1}}'


async def two_requests(server: Server) -> list[tuple[int, bytes]]:
    request = LeanRequest(connection_pool_size=2)
    await request.initialize()
    try:
        return [await request.do_request(server.url, "POST") for _ in range(2)]
    finally:
        await request.shutdown()


def test_a_chunked_answer_is_read_whole_and_the_connection_kept() -> None:
    async def run() -> None:
        async with Server(lambda n: chunked(BODY)) as server:
            assert await two_requests(server) == [(200, BODY), (200, BODY)]
            assert (server.connections, server.requests) == (1, 2)
    asyncio.run(run())


def test_connection_close_makes_the_next_request_use_a_new_one() -> None:
    async def run() -> None:
        async with Server(lambda n: ok(BODY, "Connection: close")) as server:
            assert await two_requests(server) == [(200, BODY), (200, BODY)]
            assert (server.connections, server.requests) == (2, 2)
    asyncio.run(run())


def test_a_body_without_length_ends_with_the_connection() -> None:
    async def run() -> None:
        raw = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + BODY
        async with Server(lambda n: raw) as server:
            assert await two_requests(server) == [(200, BODY), (200, BODY)]
            assert server.connections == 2
    asyncio.run(run())


def test_an_idle_connection_the_server_dropped_is_not_reused() -> None:
    async def run() -> None:
        async with Server(lambda n: ok(BODY), close_after=True) as server:
            request = LeanRequest(connection_pool_size=2)
            await request.initialize()
            try:
                assert await request.do_request(server.url, "POST") == (200, BODY)
                idle = [s for streams in request._idle.values() for s in streams]  # noqa: SLF001
                for _ in range(1000):  # until the loop has read the server's FIN
                    if all(reader.at_eof() for reader, _ in idle):
                        break
                    await asyncio.sleep(0.005)
                assert await request.do_request(server.url, "POST") == (200, BODY)
            finally:
                await request.shutdown()
            assert (server.connections, server.requests) == (2, 2)
    asyncio.run(run())


def test_no_answer_is_a_timeout_that_may_have_arrived() -> None:
    async def run() -> None:
        never = asyncio.Event()

        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await never.wait()

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        request = LeanRequest(read_timeout=0.2)
        try:
            with pytest.raises(TimedOut) as raised:
                await request.do_request(f"http://127.0.0.1:{port}/bot1:a/sendMessage", "POST")
            assert may_have_arrived(raised.value)
        finally:
            never.set()
            server.close()
            await request.shutdown()
    asyncio.run(run())


def test_nobody_listening_is_a_network_error_that_surely_never_arrived() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused

        async def run() -> None:
            request = LeanRequest()
            try:
                with pytest.raises(NetworkError) as raised:
                    await request.do_request(f"http://127.0.0.1:{port}/bot1:a/getMe", "POST")
                assert isinstance(raised.value.__cause__, httpx.ConnectError)
                assert not may_have_arrived(raised.value)
            finally:
                await request.shutdown()
        asyncio.run(run())
