from __future__ import annotations

import pytest

from summaries.sources.urls import canonical_url, is_http_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM:443/a/B?utm_source=x&id=2&utm_medium=y#top",
         "https://news.example.com/a/B?id=2"),
        ("http://example.com?b=2&a=1&fbclid=abc&gclid=d&mc_cid=e", "http://example.com/?a=1&b=2"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("tag:example.com,2026:1", "tag:example.com,2026:1"),
        (" https://example.com/x?q=&ref_src=tw ", "https://example.com/x?q="),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_is_http_url() -> None:
    assert is_http_url("https://example.com/feed")
    assert not is_http_url("samples/a.txt") and not is_http_url("ftp://x/y")
