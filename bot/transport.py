"""The bot's HTTP/1.1 client for the Bot API: every call, long polls and fan-outs alike
(unless a proxy from the environment applies: then app.py uses PTB's httpx client).

PTB's HTTPXRequest costs 1.5-2 ms of CPU per request on these machines (httpcore's pool
re-scans every connection on each state change; measured with cProfile) and leaves about
40 objects in reference cycles per request, so the cyclic collector runs on the request
path (a 50,000-object pass took 70-140 ms). That capped a fan-out near 400 messages/s and
put 20-40 ms on a reader's p99 (bench/bot_latency.py, bench/fanout.py). This client
costs about 0.1 ms and makes no cycles: it speaks only what Bot API calls need, a JSON
POST or a GET over keep-alive connections (TLS via asyncio for https, trusting the
system's certificates, SSL_CERT_FILE included, and certifi's) and a Content-Length or
chunked answer. Uploads go to an HTTPXRequest. Errors map like HTTPXRequest's: TimedOut
and NetworkError, with an httpx exception as the cause when the request surely never
left (connect, pool), so the Deliverer can tell "not sent" from "may have arrived".
"""

from __future__ import annotations

import asyncio
import ssl
from urllib.parse import urlsplit

import certifi
import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

__all__ = ["LeanRequest"]

_Origin = tuple[str, str, int]
_Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class LeanRequest(BaseRequest):
    """Keep-alive HTTP/1.1 POSTs, at most `connection_pool_size` at once."""

    def __init__(self, *, connection_pool_size: int = 32, read_timeout: float = 20.0,
                 write_timeout: float = 5.0, connect_timeout: float = 5.0,
                 pool_timeout: float = 5.0, ssl_context: ssl.SSLContext | None = None) -> None:
        self._read, self._write = read_timeout, write_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._slots = asyncio.Semaphore(connection_pool_size)
        self._idle: dict[_Origin, list[_Stream]] = {}
        self._ssl = ssl_context
        self._files = HTTPXRequest(connection_pool_size=4)

    @property
    def read_timeout(self) -> float:
        return self._read

    async def initialize(self) -> None:
        await self._files.initialize()

    async def shutdown(self) -> None:
        for streams in self._idle.values():
            for _, writer in streams:
                writer.close()
        self._idle.clear()
        await self._files.shutdown()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
                         ) -> tuple[int, bytes]:
        if request_data is not None and request_data.contains_files:
            return await self._files.do_request(url, method, request_data, read_timeout,
                                                write_timeout, connect_timeout, pool_timeout)
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        origin = (parts.scheme, parts.hostname or "", parts.port or (443 if secure else 80))
        body = request_data.json_payload if request_data else b""
        head = (f"{method} {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nUser-Agent: newsbot\r\n\r\n").encode()
        try:
            async with asyncio.timeout(_value(pool_timeout, self._pool)):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut("Pool timeout: request was not sent") from httpx.PoolTimeout("pool")
        try:
            stream = await self._stream(origin, _value(connect_timeout, self._connect))
            return await self._exchange(origin, stream, head + body,
                                        _value(write_timeout, self._write),
                                        _value(read_timeout, self._read))
        finally:
            self._slots.release()

    async def _stream(self, origin: _Origin, timeout: float) -> _Stream:
        idle = self._idle.get(origin)
        while idle:
            stream = idle.pop()
            if not stream[0].at_eof() and not stream[1].is_closing():
                return stream
            stream[1].close()
        scheme, host, port = origin
        if scheme == "https" and self._ssl is None:
            self._ssl = trusted_context()
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.open_connection(
                    host, port, ssl=self._ssl if scheme == "https" else None)
        except TimeoutError:
            raise TimedOut("Connect timeout") from httpx.ConnectTimeout("connect")
        except OSError as error:
            raise NetworkError(f"Connect error: {error}") from httpx.ConnectError(str(error))

    async def _exchange(self, origin: _Origin, stream: _Stream, request: bytes,
                        write_timeout: float, read_timeout: float) -> tuple[int, bytes]:
        reader, writer = stream
        keep = False
        try:
            writer.write(request)
            async with asyncio.timeout(write_timeout):
                await writer.drain()
            async with asyncio.timeout(read_timeout):
                code, body, keep = await _response(reader)
        except TimeoutError as error:
            raise TimedOut("Timed out waiting for Telegram") from error
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            raise NetworkError(f"Connection error: {error!r}") from error
        finally:
            if keep:
                self._idle.setdefault(origin, []).append(stream)
            else:
                writer.close()
        return code, body


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one HTTP/1.1 answer."""
    status = await reader.readuntil(b"\r\n")
    version, code = status.split(b" ", 2)[:2]
    length: int | None = None
    chunked = False
    keep = version == b"HTTP/1.1"
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            keep = value != b"close"
    if chunked:
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        while await reader.readuntil(b"\r\n") != b"\r\n":
            pass  # trailers
        return int(code), b"".join(chunks), keep
    if length is None:
        return int(code), await reader.read(), False
    return int(code), await reader.readexactly(length), keep


def trusted_context() -> ssl.SSLContext:
    """Verifying TLS that trusts the system's store (SSL_CERT_FILE and SSL_CERT_DIR point
    it elsewhere, e.g. at the CA of a self-hosted Bot API server) and certifi's, like httpx."""
    context = ssl.create_default_context()
    context.load_verify_locations(certifi.where())
    return context


def _value(given: ODVInput[float], default: float) -> float:
    return default if isinstance(given, DefaultValue) or given is None else float(given)
