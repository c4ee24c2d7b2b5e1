from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from summaries.store import Store
from tests.fakes.newssite import Entry, NewsSite
from tests.summaries.sources.conftest import article_text, paragraphs

@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


def _config(tmp_path: Path, sources: dict[str, str]) -> str:
    blocks = "".join(f'[[sources]]\nname = "{name}"\nurl = "{url}"\n\n'
                     for name, url in sources.items())
    path = tmp_path / "newsbot.toml"
    path.write_text(f'[store]\ndata_dir = "data"\n\n{blocks}[fetch]\ntimeout_seconds = 10\n'
                    "max_bytes = 100000\n")
    return str(path)


def test_fetch_polls_each_source_once_with_a_line_each(newsbot, site: NewsSite,
                                                       tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    entries = [Entry(f"g{i}", f"/n/{i}", f"Story {i}", text=article_text(f"ferry {i}"))
               for i in range(3)]
    config = _config(tmp_path, {"Good": site.feed("/good.xml", entries),
                                "Broken": site.page("/home", "Home", ["Welcome."]),
                                "Huge": site.endless("/huge.xml")})
    code, out, _ = newsbot("fetch", "--config", config)
    assert code == 1
    assert out.splitlines() == [
        "Good: 3 new, 0 seen",
        "Broken: error: an HTML page, not a feed",
        "Huge: error: response too large (more than 100,000 bytes; the limit is 100,000)",
    ]
    code, out, _ = newsbot("fetch", "--config", config)
    assert out.splitlines()[0] == "Good: 0 new, 0 seen (not modified)"
    with Store.open(tmp_path / "data", writable=False) as store:
        assert store.count() == 3


def test_ingest_takes_urls_among_paths(newsbot, site: NewsSite, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = str(tmp_path / "data")
    page = site.page("/a", "A page", paragraphs("museum"), date="2026-02-21")
    feed = site.feed("/f.xml", [Entry("g", "/n/1", "One", text=article_text("tram"))])
    text = tmp_path / "one.txt"
    text.write_text("date 2026-02-24 OSLO, Feb. 24 - Ferries resumed. Crews were relieved.")
    code, out, err = newsbot("ingest", "--data", data, str(text), page, feed, site.url("/gone"))
    assert code == 1
    assert out.strip() == "added 3, already present 0, rejected 1"
    assert err.strip() == f"rejected {site.url('/gone')}: HTTP 404 Not Found"


def test_sources_export_and_import(newsbot, site: NewsSite, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = _config(tmp_path, {"Wire": "https://wire.example/rss"})
    opml = tmp_path / "feeds.opml"
    assert newsbot("sources", "export", str(opml), "--config", config)[:2] == (
        0, f"wrote 1 source to {opml}\n")
    other = tmp_path / "other.opml"
    other.write_text('<opml version="2.0"><body><outline text="Daily" '
                     'xmlUrl="https://daily.example/feed"/><outline text="Wire" '
                     'xmlUrl="https://wire.example/rss"/></body></opml>')
    assert newsbot("sources", "import", str(other), "--config", config)[:2] == (
        0, "added 1, already present 1\n")
    newsbot("sources", "export", str(opml), "--config", config)
    assert b"https://daily.example/feed" in opml.read_bytes()
    code, _, err = newsbot("sources", "import", str(tmp_path / "nope.opml"), "--config", config)
    assert code == 2 and "cannot read" in err
