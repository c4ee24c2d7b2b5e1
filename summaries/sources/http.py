"""The one module that speaks HTTP: a small synchronous client with the limits a poller needs.

Every request carries a User-Agent that names the bot, a timeout (per operation and for
the whole response), a cap on redirects and a cap on the body that is enforced while it
streams in, so a 200 MB answer costs at most `max_bytes` of memory and time. A feed's
ETag and Last-Modified are sent back so an unchanged feed answers 304 with no body.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass
from email.message import Message
from types import TracebackType

import httpx

from summaries.sources.errors import FetchError

USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot/newsbot)"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits for every request; the defaults suit news feeds and article pages."""

    timeout_seconds: float = 20.0
    max_bytes: int = 5_000_000  # a big feed is ~1 MB; a page with inline images a few
    user_agent: str = USER_AGENT
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Response:
    """A finished response: 200 with its body, or 304 (not modified) with none."""

    url: str  # after redirects
    status: int
    body: bytes
    content_type: str  # the media type alone, lowercase, e.g. "application/rss+xml"
    charset: str  # from the Content-Type header; "" when not given
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8, else Windows-1252."""
        return decode_body(self.body, self.charset)


def decode_body(body: bytes, charset: str = "") -> str:
    """Decode a page or feed: header charset, then <?xml encoding?> or <meta charset>,
    then UTF-8; Windows-1252 (which browsers use for "latin-1") when all else fails."""
    head = body[:4096]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    for name in (charset, found.group(1).decode("ascii") if found else ""):
        if not name:
            continue
        try:
            codecs.lookup(name)
        except LookupError:
            continue  # an unknown declared charset: fall through to the guesses
        return body.decode(name, errors="replace")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


class HttpClient:
    """GET with the limits of `FetchSettings`; reuses connections; use as a context manager.

    `transport` lets a test or a benchmark swap the network (httpx's MockTransport),
    though the tests here use a real loopback server.
    """

    def __init__(
        self, settings: FetchSettings | None = None, *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            headers={"User-Agent": self.settings.user_agent},
            transport=transport,
            trust_env=False,  # a proxy from the environment is the operator's to configure
        )

    def get(self, url: str, *, etag: str = "", last_modified: str = "",
            accept: str = "*/*") -> Response:
        """Fetch `url`; FetchError with a one-line reason for anything but 200 and 304."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = self.settings.max_bytes
        deadline = time.monotonic() + self.settings.timeout_seconds
        try:
            with self._client.stream("GET", url, headers=headers) as answer:
                if answer.status_code == 304:
                    return _response(answer, b"")
                if answer.status_code != 200:
                    raise FetchError(f"HTTP {answer.status_code} {answer.reason_phrase}".rstrip(), url)
                declared = answer.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(_too_large(int(declared), limit), url)
                chunks: list[bytes] = []
                size = 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(_too_large(size, limit, more=True), url)
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"timed out after {self.settings.timeout_seconds:g} s", url)
                    chunks.append(chunk)
                return _response(answer, b"".join(chunks))
        except httpx.TooManyRedirects:
            raise FetchError(
                f"too many redirects (more than {self.settings.max_redirects}; a loop?)", url
            ) from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.settings.timeout_seconds:g} s", url) from None
        except httpx.InvalidURL as error:
            raise FetchError(f"invalid URL ({error})", url) from None
        except httpx.HTTPError as error:
            reason = str(error) or type(error).__name__
            raise FetchError(f"cannot fetch ({reason})", url) from None

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _too_large(size: int, limit: int, *, more: bool = False) -> str:
    what = f"more than {limit:,}" if more else f"{size:,}"
    return f"response too large ({what} bytes; the limit is {limit:,})"


def _response(answer: httpx.Response, body: bytes) -> Response:
    message = Message()
    message["content-type"] = answer.headers.get("Content-Type", "")
    return Response(
        url=str(answer.url),
        status=answer.status_code,
        body=body,
        content_type=message.get_content_type() if message["content-type"] else "",
        charset=str(message.get_param("charset") or "") if message["content-type"] else "",
        etag=answer.headers.get("ETag", ""),
        last_modified=answer.headers.get("Last-Modified", ""),
    )
