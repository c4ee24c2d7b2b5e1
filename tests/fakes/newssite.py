"""A loopback news site for tests and benchmarks: feeds and article pages written here.

A stdlib ``ThreadingHTTPServer`` on 127.0.0.1 and a free port serves whatever a test
puts on it: RSS 2.0, RSS 1.0 (RDF), RSS 0.91 and Atom feeds built from ``Entry``
records, article pages, raw bodies, and the bad cases a poller meets in the wild (an
endless body streamed lazily, a redirect loop). Feeds answer conditional GET: the ETag
is a hash of the body and Last-Modified is fixed per route, so an unchanged feed gets
304. Every request is logged so tests can assert what a poll fetched::

    with NewsSite() as site:
        url = site.feed("/a.xml", [Entry("1", "/news/1", "Title", text="...")])
        ...
        assert site.count("/news/") == 0
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape

LAST_MODIFIED = "Wed, 25 Feb 2026 08:00:00 GMT"


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry; `link` may be a path on the site. `published` is the feed's own
    text (RFC 822 for RSS, ISO 8601 for Atom), None for an entry without a date."""

    guid: str
    link: str
    title: str
    text: str = ""  # the full article (content:encoded / Atom content), HTML allowed
    summary: str = ""  # the teaser (description / Atom summary)
    published: str | None = "Wed, 25 Feb 2026 09:30:00 +0300"


@dataclass(slots=True)
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = False  # answer conditional GET
    stream_bytes: int = 0  # instead of `body`: this many bytes, generated as sent


@dataclass(frozen=True, slots=True)
class Request:
    path: str
    headers: dict[str, str]
    status: int


class NewsSite:
    """The site; use as a context manager. Routes can be changed while it runs."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = _Server(self)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    # --- content ----------------------------------------------------------------------

    def feed(self, path: str, entries: list[Entry], *, kind: str = "rss", title: str = "News",
             charset: str = "utf-8", validators: bool = True) -> str:
        """Serve a feed of `kind` "rss", "rss091", "rdf" or "atom"; returns its URL."""
        body = _FEEDS[kind](self, title, entries).encode(charset)
        if charset != "utf-8":
            body = body.replace(b'encoding="utf-8"', f'encoding="{charset}"'.encode(), 1)
        media = "application/atom+xml" if kind == "atom" else "application/rss+xml"
        return self.raw(path, body, f"{media}; charset={charset}", validators=validators)

    def page(self, path: str, title: str, paragraphs: list[str], *, date: str | None = None,
             charset: str = "utf-8", header_charset: bool = True) -> str:
        """Serve an article page with navigation and a footer around the text."""
        meta = f'<meta property="article:published_time" content="{date}">' if date else ""
        meta_charset = "" if header_charset else f'<meta charset="{charset}">'
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        html = (f"<!DOCTYPE html><html><head>{meta_charset}<title>{escape(title)}</title>{meta}"
                f"</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
                f"<article><h1>{escape(title)}</h1>{body}</article>"
                f"<footer>© The Loopback Times</footer></body></html>")
        content_type = f"text/html; charset={charset}" if header_charset else "text/html"
        return self.raw(path, html.encode(charset), content_type)

    def raw(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", *,
            status: int = 200, headers: dict[str, str] | None = None,
            validators: bool = False) -> str:
        with self._lock:
            self.routes[path] = Route(status, body, content_type, dict(headers or {}), validators)
        return self.url(path)

    def endless(self, path: str, size: int = 200 * 1024 * 1024) -> str:
        """A `size`-byte feed-looking body, generated while it is sent, never held whole."""
        with self._lock:
            self.routes[path] = Route(content_type="application/rss+xml", stream_bytes=size)
        return self.url(path)

    def redirect_loop(self, path: str) -> str:
        """`path` redirects to `path`/again, which redirects back to `path`."""
        self.raw(path, b"", status=302, headers={"Location": f"{path}/again"})
        self.raw(f"{path}/again", b"", status=302, headers={"Location": path})
        return self.url(path)

    # --- what was asked -----------------------------------------------------------------

    def count(self, prefix: str = "/") -> int:
        """Requests so far whose path starts with `prefix`."""
        with self._lock:
            return sum(1 for r in self.requests if r.path.startswith(prefix))

    def statuses(self, prefix: str = "/") -> list[int]:
        with self._lock:
            return [r.status for r in self.requests if r.path.startswith(prefix)]

    def answer(self, path: str, headers: dict[str, str]) -> tuple[Route | None, int]:
        with self._lock:
            # Like a real site, the query (tracking parameters and all) does not change the page.
            route = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
        status = 404 if route is None else route.status
        if route is not None and route.validators and status == 200:
            etag = f'"{hashlib.sha1(route.body).hexdigest()[:16]}"'
            route.headers.update({"ETag": etag, "Last-Modified": LAST_MODIFIED})
            if headers.get("if-none-match") == etag or (
                "if-none-match" not in headers
                and headers.get("if-modified-since") == LAST_MODIFIED
            ):
                status = 304
        with self._lock:
            self.requests.append(Request(path, headers, status))
        return route, status


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: NewsSite) -> None:
        self.site = site
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that stops reading an endless body is expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        route, status = self.server.site.answer(self.path, headers)
        self.send_response(status)
        if route is None:
            self._finish(b"not found", "text/plain")
            return
        for name, value in route.headers.items():
            self.send_header(name, value)
        if status == 304 or status in (301, 302, 303, 307, 308):
            self._finish(b"", route.content_type)
        elif route.stream_bytes:
            self.send_header("Content-Type", route.content_type)
            self.send_header("Transfer-Encoding", "chunked")  # no length: the client must count
            self.end_headers()
            for chunk in _endless(route.stream_bytes):
                try:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError:
                    return
            self.wfile.write(b"0\r\n\r\n")
        else:
            self._finish(route.body, route.content_type)

    def _finish(self, body: bytes, content_type: str) -> None:
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _endless(size: int) -> Iterator[bytes]:
    block = b"<rss version='2.0'><channel>" + b"<item><title>x</title></item>" * 2000
    sent = 0
    while sent < size:
        chunk = block[: size - sent]
        sent += len(chunk)
        yield chunk


def _date(entry: Entry, tag: str) -> str:
    return f"<{tag}>{escape(entry.published)}</{tag}>" if entry.published else ""


def _rss(site: NewsSite, title: str, entries: list[Entry]) -> str:
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(site.url(e.link))}</link>"
        f"<guid isPermaLink=\"false\">{escape(e.guid)}</guid>{_date(e, 'pubDate')}"
        + (f"<description>{escape(e.summary)}</description>" if e.summary else "")
        + (f"<content:encoded><![CDATA[{e.text}]]></content:encoded>" if e.text else "")
        + "</item>"
        for e in entries
    )
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{escape(title)}</title><link>{site.base_url}/</link>"
            f"<description>{escape(title)}</description>{items}</channel></rss>")


def _rss091(site: NewsSite, title: str, entries: list[Entry]) -> str:
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(site.url(e.link))}</link>"
        f"<description>{escape(e.text or e.summary)}</description></item>"
        for e in entries
    )
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="0.91"><channel>'
            f"<title>{escape(title)}</title><link>{site.base_url}/</link>"
            f"<description>{escape(title)}</description><language>en</language>"
            f"{items}</channel></rss>")


def _rdf(site: NewsSite, title: str, entries: list[Entry]) -> str:
    items = "".join(
        f'<item rdf:about="{escape(site.url(e.link))}"><title>{escape(e.title)}</title>'
        f"<link>{escape(site.url(e.link))}</link>"
        f"<description>{escape(e.text or e.summary)}</description>{_date(e, 'dc:date')}</item>"
        for e in entries
    )
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{site.base_url}/"><title>{escape(title)}</title>'
            f"<link>{site.base_url}/</link><description>x</description></channel>"
            f"{items}</rdf:RDF>")


def _atom(site: NewsSite, title: str, entries: list[Entry]) -> str:
    items = "".join(
        f"<entry><id>{escape(e.guid)}</id><title>{escape(e.title)}</title>"
        f'<link href="{escape(site.url(e.link))}"/>{_date(e, "published")}'
        + (f"<summary>{escape(e.summary)}</summary>" if e.summary else "")
        + (f'<content type="html">{escape(e.text)}</content>' if e.text else "")
        + "</entry>"
        for e in entries
    )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>{site.base_url}/</id>"
            f"<updated>2026-02-25T08:00:00Z</updated>{items}</feed>")


_FEEDS = {"rss": _rss, "rss091": _rss091, "rdf": _rdf, "atom": _atom}
