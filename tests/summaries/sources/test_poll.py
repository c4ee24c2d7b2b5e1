from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from summaries.sources import HttpClient, Poller, Source, SourceRegistry
from tests.fakes.newssite import Entry, NewsSite
from tests.summaries.sources.conftest import NOW, Rig, article_text, paragraphs


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of the data folder with its size and mtime: equal means nothing written."""
    found = {}
    for path, _, names in os.walk(folder):
        for name in names:
            info = os.stat(os.path.join(path, name))
            found[os.path.join(path, name)] = (info.st_size, info.st_mtime_ns)
    return found


def _full(n: int, prefix: str = "/news/", topic: str = "ferry") -> list[Entry]:
    return [Entry(f"guid-{i}", f"{prefix}{i}", f"Story {i}", text=article_text(f"{topic} {i}"))
            for i in range(n)]


def test_second_poll_is_a_304_that_fetches_no_page_and_writes_nothing(
    site: NewsSite, rig: Rig
) -> None:
    teasers = [Entry(f"t{i}", f"/news/{i}", f"Teaser {i}", summary="The council met today...")
               for i in range(3)]
    for i in range(3):
        site.page(f"/news/{i}", f"Page {i}", paragraphs(f"bridge {i}"), date="2026-02-24")
    source = Source("Loopback", site.feed("/feed.xml", teasers))
    first = rig.poller.poll(source)
    assert (first.new, first.seen, first.pages, first.error) == (3, 0, 3, "")
    assert rig.counter.calls == 3
    stored = rig.store.by_date(dt.date(2026, 2, 25))  # the entry's date wins over the page's
    assert {a.source for a in stored} == {"Loopback"} and "bridge 0 plan" in stored[0].text
    before, requests = _snapshot(rig.store.data_dir), len(site.requests)
    second = rig.poller.poll(source)
    assert second.not_modified and second.line() == "Loopback: 0 new, 0 seen (not modified)"
    assert site.statuses()[requests:] == [304]  # the feed only; no page
    assert rig.counter.calls == 3
    assert _snapshot(rig.store.data_dir) == before
    assert rig.registry.state(source).last_checked == NOW


def test_a_feed_without_validators_is_parsed_but_nothing_is_fetched_or_stored(
    site: NewsSite, rig: Rig
) -> None:
    source = Source("Plain", site.feed("/plain.xml", _full(5), validators=False))
    assert rig.poller.poll(source).new == 5
    site.feed("/plain.xml", _full(5) + [], validators=False, title="News, rebuilt")
    before = _snapshot(rig.store.data_dir)
    again = rig.poller.poll(source)
    assert (again.new, again.seen, again.pages) == (0, 5, 0)
    assert rig.counter.calls == 5 and _snapshot(rig.store.data_dir) == before


def test_stored_once_by_guid_url_tracking_parameters_and_text(site: NewsSite, rig: Rig) -> None:
    source = Source("A", site.feed("/a.xml", _full(3)))
    assert rig.poller.poll(source).new == 3
    # The GUIDs changed, a link gained tracking parameters, and one story was reposted
    # under a new URL in another feed: all already stored.
    changed = [
        Entry("new-guid-0", "/news/0", "Story 0", text=article_text("ferry 0")),
        Entry("guid-1", "/news/1?utm_source=rss&utm_medium=feed#top", "Story 1",
              text=article_text("ferry 1")),
        Entry("new-guid-3", "/news/3", "Story 3", text=article_text("ferry 3")),
    ]
    site.feed("/a.xml", changed)
    result = rig.poller.poll(source)
    assert (result.new, result.seen) == (1, 2)
    repost = Source("B", site.feed("/b.xml", [
        Entry("b-1", "/elsewhere/2", "Copied", text=article_text("ferry 2"))]))
    reposted = rig.poller.poll(repost)
    assert (reposted.new, reposted.seen) == (0, 1)
    assert rig.store.count() == 4 and rig.counter.calls == 4


def test_same_url_with_a_changed_date_is_the_same_article(site: NewsSite, rig: Rig) -> None:
    entry = Entry("g", "/news/x", "X", text=article_text("tram"))
    source = Source("A", site.feed("/a.xml", [entry]))
    assert rig.poller.poll(source).new == 1
    site.feed("/a.xml", [Entry("g2", "/news/x", "X (updated)", text=article_text("tram") + "<p>More.</p>",
                               published="Thu, 26 Feb 2026 10:00:00 +0300")])
    assert (rig.poller.poll(source).new, rig.store.count()) == (0, 1)


def test_dates_from_entry_then_page_then_fetch_time(site: NewsSite, rig: Rig) -> None:
    site.page("/p/dated", "Dated", paragraphs("dated"), date="2026-02-20")
    site.page("/p/undated", "Undated", paragraphs("undated"))
    entries = [
        Entry("1", "/p/dated", "Teaser with page date", summary="Short...", published=None),
        Entry("2", "/p/undated", "Full text, no date anywhere", text=article_text("plain"),
              published=None),
    ]
    source = Source("Tokyo", site.feed("/t.xml", entries), timezone="Asia/Tokyo")
    result = rig.poller.poll(source)
    assert (result.new, result.undated) == (2, 1)
    assert "1 without a date: dated by the fetch time" in result.line()
    assert len(rig.store.by_date(dt.date(2026, 2, 20))) == 1
    assert len(rig.store.by_date(dt.date(2026, 2, 25))) == 1  # NOW is 21:00 in Tokyo


def test_bad_pages_reject_their_entry_only(site: NewsSite, rig: Rig) -> None:
    russian = ["Городской совет в среду утвердил план расширения паромного сообщения через "
               "гавань после долгих обсуждений с жителями и инженерами региона. " * 3] * 2
    site.page("/p/ru", "Паромы", russian, charset="windows-1251")
    latin = ["Le conseil municipal a approuvé mercredi le plan d'extension du service de "
             "traversiers à travers le port après de longs débats avec les habitants. " * 3] * 2
    site.page("/p/fr", "Traversiers", latin, charset="iso-8859-1", header_charset=False)
    site.raw("/p/empty", b"<html><body><nav>Home | World</nav></body></html>")
    site.redirect_loop("/p/loop")
    entries = [Entry(str(i), f"/p/{name}", name, summary="Teaser...")
               for i, name in enumerate(["ru", "fr", "empty", "loop"])]
    result = rig.poller.poll(Source("Mixed", site.feed("/m.xml", entries)))
    assert (result.new, result.error) == (2, "")
    assert [r.split(": ", 1)[1] for r in result.rejected] == [
        "no main text found on the page", "too many redirects (more than 5; a loop?)"]
    texts = " ".join(a.text for a in rig.store.latest(5))
    assert "Городской совет" in texts and "approuvé" in texts


def test_a_broken_source_is_an_error_with_backoff_and_loses_nothing(
    site: NewsSite, rig: Rig
) -> None:
    good = Source("Good", site.feed("/good.xml", _full(2)))
    rig.poller.poll(good)
    broken = {
        "xml": site.raw("/bad.xml", b"<?xml version='1.0'?><rss><channel><item>", "text/xml"),
        "html": site.page("/home", "Home", ["Welcome to our site."]),
        "huge": site.endless("/huge.xml"),
        "loop": site.redirect_loop("/feed-loop"),
    }
    reasons = {}
    for name, url in broken.items():
        result = rig.poller.poll(Source(name, url))
        reasons[name] = result.error
        assert result.line() == f"{name}: error: {result.error}"
    assert reasons["xml"].startswith("malformed XML (line 1")
    assert reasons["html"] == "an HTML page, not a feed"
    assert reasons["huge"] == "response too large (more than 1,000,000 bytes; the limit is 1,000,000)"
    assert reasons["loop"].startswith("too many redirects")
    assert rig.store.count() == 2
    failing = Source("xml", broken["xml"])
    state = rig.registry.state(failing)
    assert (state.failures, state.last_error) == (1, reasons["xml"])
    assert state.next_poll == NOW + dt.timedelta(minutes=30)
    assert rig.poller.poll(failing).skipped  # backing off: not fetched
    assert rig.poller.poll(failing, force=True).error
    assert rig.registry.state(failing).next_poll == NOW + dt.timedelta(minutes=60)


def test_poll_all_goes_on_past_a_broken_source(site: NewsSite, rig: Rig) -> None:
    sources = [Source("One", site.feed("/1.xml", _full(2, "/one/"))),
               Source("Broken", site.url("/missing.xml")),
               Source("Two", site.feed("/2.xml", _full(3, "/two/", "tram")))]
    lines = [r.line() for r in rig.poller.poll_all(sources)]
    assert lines == ["One: 2 new, 0 seen", "Broken: error: HTTP 404 Not Found", "Two: 3 new, 0 seen"]


def test_ingest_url_takes_a_feed_or_a_page(site: NewsSite, rig: Rig) -> None:
    page = site.page("/article", "One page", paragraphs("museum"), date="2026-02-21")
    result = rig.poller.ingest_url(page)
    assert (result.new, result.error) == (1, "")
    [article] = rig.store.by_date(dt.date(2026, 2, 21))
    assert article.title == "One page" and article.url == page
    assert rig.poller.ingest_url(page + "?utm_campaign=x").seen == 1
    assert rig.poller.ingest_url(site.feed("/f.xml", _full(2))).new == 2
    assert rig.poller.ingest_url(site.url("/nothing")).error == "HTTP 404 Not Found"


def test_after_a_restart_an_unchanged_feed_is_not_parsed_again(
    site: NewsSite, rig: Rig, client: HttpClient
) -> None:
    source = Source("Plain", site.feed("/plain.xml", _full(4), validators=False))
    assert rig.poller.poll(source).new == 4
    restarted = Poller(rig.store, SourceRegistry(rig.store), client, build=rig.counter,
                       clock=lambda: NOW)
    before = _snapshot(rig.store.data_dir)
    again = restarted.poll(source)
    assert (again.new, again.seen, again.pages, again.error) == (0, 0, 0, "")  # not parsed
    assert _snapshot(rig.store.data_dir) == before
    site.feed("/plain.xml", _full(5), validators=False)  # one more entry: parsed again
    assert restarted.poll(source).new == 1
    assert rig.counter.calls == 5
