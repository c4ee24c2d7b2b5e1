from __future__ import annotations

import pytest

from summaries.sources import USER_AGENT, FetchError, FetchSettings, HttpClient
from summaries.sources.http import decode_body
from tests.fakes.newssite import NewsSite


def test_user_agent_and_conditional_get(site: NewsSite, client: HttpClient) -> None:
    url = site.raw("/f.xml", b"<rss/>", "application/rss+xml", validators=True)
    first = client.get(url)
    assert first.status == 200 and first.etag and first.last_modified
    assert site.requests[0].headers["user-agent"] == USER_AGENT
    second = client.get(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    assert site.statuses("/f.xml") == [200, 304]


def test_a_200_mb_body_is_cut_off_early(site: NewsSite, client: HttpClient) -> None:
    url = site.endless("/huge.xml")
    with pytest.raises(FetchError, match=r"response too large \(more than 1,000,000 bytes"):
        client.get(url)


def test_a_declared_length_over_the_limit_is_refused_before_reading(site: NewsSite) -> None:
    url = site.raw("/big", b"x" * 2000)
    with HttpClient(FetchSettings(max_bytes=1000)) as small, pytest.raises(
        FetchError, match=r"2,000 bytes; the limit is 1,000"
    ):
        small.get(url)


def test_redirect_loop_and_http_errors(site: NewsSite, client: HttpClient) -> None:
    with pytest.raises(FetchError, match="too many redirects"):
        client.get(site.redirect_loop("/loop"))
    with pytest.raises(FetchError, match="HTTP 404"):
        client.get(site.url("/missing"))
    with pytest.raises(FetchError, match="cannot fetch"):
        client.get("http://127.0.0.1:9/closed")


def test_charsets() -> None:
    russian = "Новости дня".encode("windows-1251")
    assert decode_body(russian, "windows-1251") == "Новости дня"
    meta = b'<html><head><meta charset="iso-8859-1"></head>' + "Café".encode("latin-1")
    assert decode_body(meta).endswith("Café")
    assert decode_body("Café".encode("cp1252")) == "Café"  # undeclared, not UTF-8
    assert decode_body("Straße".encode()) == "Straße"
