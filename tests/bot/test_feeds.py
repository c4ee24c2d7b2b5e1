"""Feeds from the chat: admins add, list and remove them; stories show their other sources."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import SetClock
from tests.bot.harness import ADMIN, READER, BotHarness, make_config
from tests.fakes import FakeBotApi
from tests.fakes.newssite import Entry, NewsSite
from tests.summaries.sources.story_texts import REWRITES, UNRELATED

UTC = dt.timezone.utc
ID = re.compile(r"/article (\d{8}-[0-9a-f]{10})")


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as server:
        yield server


@pytest.fixture
def clock() -> SetClock:
    return SetClock(dt.datetime.now(UTC).replace(second=0, microsecond=0))


@pytest.fixture
def bot(tmp_path: Path, fake: FakeBotApi, clock: SetClock) -> Iterator[BotHarness]:
    harness = BotHarness(make_config(tmp_path / "data", fake), fake, clock).start()
    try:
        yield harness
    finally:
        harness.stop()


def _published(clock: SetClock, hours: int) -> str:
    return (clock.now() - dt.timedelta(hours=hours)).strftime("%a, %d %b %Y %H:%M:%S +0000")


def test_admins_add_list_and_remove_feeds(bot: BotHarness, site: NewsSite, clock: SetClock) -> None:
    url = site.feed("/wire.xml", [Entry("1", "/a/1", "Ferries", text=_html(REWRITES[0]),
                                        published=_published(clock, 2))], title="Harbour Wire")
    (denied,) = bot.say(f"/addfeed {url}", chat_id=READER)
    assert denied.text == "I don't know that command. /help lists what I can do."
    (added,) = bot.say(f"/addfeed {url}", chat_id=ADMIN)
    assert added.text.startswith("Added ") and "First poll: " in added.text and "1 new" in added.text
    (again,) = bot.say(f"/addfeed {url}", chat_id=ADMIN)
    assert again.text.startswith("Not added: ")
    (listing,) = bot.say("/feeds", chat_id=ADMIN)
    assert url in listing.text
    jobs = bot.app.job_queue.jobs()  # type: ignore[union-attr]
    assert [job.name for job in jobs if job.name and job.name.startswith("feed:")]
    (bad,) = bot.say("/addfeed not-a-url", chat_id=ADMIN)
    assert bad.text.startswith("Not added: ")
    name = added.text.removeprefix("Added ").split(", polled")[0]
    (removed,) = bot.say(f"/removefeed {name}", chat_id=ADMIN)
    assert removed.text == f"Removed {name}; its articles stay in the archive."
    jobs = bot.app.job_queue.jobs()  # type: ignore[union-attr]
    assert not [job for job in jobs if job.name and job.name.startswith("feed:")]


def test_a_failing_feed_shows_in_feeds_and_stats(bot: BotHarness, site: NewsSite) -> None:
    broken = site.raw("/broken.xml", b"<rss><channel><item>", "application/rss+xml")
    (added,) = bot.say(f"/addfeed {broken}", chat_id=ADMIN)
    assert "error:" in added.text
    for _ in range(3):  # a few more failed polls make it "failing"
        bot._call(_force_poll(bot, broken))
    (stats,) = bot.say("/stats", chat_id=ADMIN)
    assert "Feeds: 1 (1 failing)" in stats.text and "Failing feeds:" in stats.text
    (listing,) = bot.say("/feeds", chat_id=ADMIN)
    assert "failing (" in listing.text


async def _force_poll(bot: BotHarness, url: str) -> None:
    from bot.services import KEY

    feeds = bot.app.bot_data[KEY].feeds
    (source,) = [s for s in await feeds.sources() if s.url == url]
    await feeds.poll(source, force=True)


def test_one_story_from_three_sources(bot: BotHarness, site: NewsSite, clock: SetClock,
                                      fake: FakeBotApi) -> None:
    for n, text in enumerate(REWRITES):
        entries = [Entry(f"s{n}", f"/s{n}/ferries", "Ferries", text=_html(text),
                         published=_published(clock, 3 - n))]
        if n == 1:
            entries.append(Entry("strike", "/s1/strike", "Strike", text=_html(UNRELATED),
                                 published=_published(clock, 2)))
        url = site.feed(f"/s{n}.xml", entries, title=f"Outlet {n}")
        (added,) = bot.say(f"/addfeed {url}", chat_id=ADMIN)
        assert "new" in added.text, added.text
    (results,) = bot.say("/search electric ferries")
    cards = [bot.press(results, str(n))[0] for n in range(1, 4)]
    others = [c for c in cards if "Also reported by" in c.text]
    assert len(others) == 3  # each of the three names the other two
    (strike,) = bot.press(bot.say("/search strike")[0], "1")
    assert "Also reported by" not in strike.text
    bot.say(f"/subscribe {(clock.now() + dt.timedelta(minutes=1)):%H:%M}", chat_id=READER)
    clock.current += dt.timedelta(minutes=1)
    bot.tick()
    digest = [m.text for m in fake.sent_messages(READER) if m.text.startswith("Your news")]
    assert len(digest) == 1
    assert digest[0].count("Also reported by") == 1  # the story once, the others named
    assert digest[0].count("/article ") == 2  # the ferries story and the strike
