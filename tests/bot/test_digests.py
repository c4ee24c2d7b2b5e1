"""Subscribing and daily digests through the real bot, with a clock the test sets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import SetClock
from summaries.ingest import find_files, ingest
from summaries.ledger import Ledger
from summaries.store import Store
from tests.conftest import SAMPLES
from tests.bot.harness import ADMIN, READER, BotHarness, make_config
from tests.fakes import FakeBotApi

UTC = dt.timezone.utc


def digests_to(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [m.text for m in fake.sent_messages(chat_id) if m.text.startswith(("Your news", "Nothing new"))]


@pytest.fixture
def clock() -> SetClock:
    # The samples were just ingested: a digest due a few minutes from now covers them.
    now = dt.datetime.now(UTC).replace(second=0, microsecond=0)
    return SetClock(now + dt.timedelta(minutes=1))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The samples as today's news: a digest shows what is new, not old archive days."""
    folder, today = tmp_path / "fresh", dt.datetime.now(UTC).date()
    folder.mkdir()
    for sample in sorted(SAMPLES.glob("*.txt")):
        text = re.sub(r"^date \d{4}-\d{2}-\d{2}", f"date {today}", sample.read_text("utf-8"))
        (folder / sample.name).write_text(text, "utf-8")
    with Store.open(tmp_path / "data") as store:
        ingest(store, find_files([folder]))
    return tmp_path / "data"


@pytest.fixture
def digest_bot(data: Path, fake: FakeBotApi, clock: SetClock) -> Iterator[BotHarness]:
    harness = BotHarness(make_config(data, fake), fake, clock).start()
    try:
        yield harness
    finally:
        harness.stop()


def _at(clock: SetClock, minutes: int) -> str:
    return f"{(clock.now() + dt.timedelta(minutes=minutes)):%H:%M}"


def test_subscribe_status_and_one_digest_a_day(digest_bot: BotHarness, fake: FakeBotApi,
                                               clock: SetClock) -> None:
    at = _at(clock, 2)
    (reply,) = digest_bot.say(f"/subscribe {at} UTC")
    assert reply.text.startswith(f"Subscribed. A digest of up to 5 articles every day at {at} (UTC).")
    (status,) = digest_bot.say("/status")
    assert "No digest sent yet." in status.text
    digest_bot.tick()
    assert digests_to(fake, READER) == []  # not due yet
    clock.current += dt.timedelta(minutes=2)
    digest_bot.tick()
    digest_bot.tick()  # a second tick in the same minute sends nothing more
    (sent,) = digests_to(fake, READER)
    assert sent.startswith("Your news for ")
    assert sent.count("/article ") == 5
    clock.current += dt.timedelta(hours=3)
    digest_bot.tick()
    assert len(digests_to(fake, READER)) == 1
    (status,) = digest_bot.say("/status")
    assert "Last digest:" in status.text
    clock.current += dt.timedelta(hours=21)  # the next day: nothing new since
    digest_bot.tick()
    assert digests_to(fake, READER)[1:] == ["Nothing new since your last digest."]


def test_keywords_shape_the_digest(digest_bot: BotHarness, fake: FakeBotApi, clock: SetClock) -> None:
    digest_bot.say(f"/subscribe {_at(clock, 1)}")
    (page,) = digest_bot.say("/settings only harbor, ferry")
    assert "Only about: harbor, ferry" in page.text
    digest_bot.say("/settings skip closure")
    clock.current += dt.timedelta(minutes=1)
    digest_bot.tick()
    (sent,) = digests_to(fake, READER)
    assert "Harbor" in sent or "harbor" in sent
    assert "closure" not in sent.casefold()


def test_quiet_readers_get_no_note(digest_bot: BotHarness, fake: FakeBotApi, clock: SetClock) -> None:
    digest_bot.say(f"/subscribe {_at(clock, 1)}")
    digest_bot.say("/settings only zeppelin")
    digest_bot.say("/settings quiet on")
    clock.current += dt.timedelta(minutes=1)
    digest_bot.tick()
    assert digests_to(fake, READER) == []


def test_bad_times_and_zones_get_examples(digest_bot: BotHarness) -> None:
    (reply,) = digest_bot.say("/subscribe 25:99")
    assert reply.text == "'25:99' is not a time. Use 07:30, 7:30 or 19:05."
    (reply,) = digest_bot.say("/subscribe 07:30 Berlin")
    assert reply.text.startswith("Unknown time zone 'Berlin'. Did you mean Europe/Berlin? Use ")
    (reply,) = digest_bot.say("/subscribe 07:30 UTC+3")
    assert "every day at 07:30 (UTC+03:00)" in reply.text


def test_unsubscribe_stops_digests(digest_bot: BotHarness, fake: FakeBotApi, clock: SetClock) -> None:
    digest_bot.say(f"/subscribe {_at(clock, 1)}")
    (reply,) = digest_bot.say("/unsubscribe")
    assert reply.text.startswith("Unsubscribed")
    clock.current += dt.timedelta(minutes=1)
    digest_bot.tick()
    assert digests_to(fake, READER) == []
    (status,) = digest_bot.say("/status")
    assert status.text.startswith("Not subscribed.")


def test_digest_now(digest_bot: BotHarness) -> None:
    (reply,) = digest_bot.say("/digest")
    assert reply.text.startswith("Your news for ")


def test_in_groups_only_admins_change_the_digest(digest_bot: BotHarness, fake: FakeBotApi) -> None:
    group = -100777
    fake.set_chat_admins(group, {ADMIN})
    (denied,) = digest_bot.say("/subscribe 07:00", chat_id=group, user_id=READER, chat_type="supergroup")
    assert denied.text == "Only this group's admins can change its digest."
    (ok,) = digest_bot.say("/subscribe 07:00", chat_id=group, user_id=ADMIN, chat_type="supergroup")
    assert ok.text.startswith("Subscribed.")
    (denied,) = digest_bot.say("/settings skip sports", chat_id=group, user_id=READER,
                               chat_type="supergroup")
    assert denied.text == "Only this group's admins can change its digest."
    assert digest_bot.digests.subscriptions[group].is_group


def test_a_blocked_bot_stops_sending(digest_bot: BotHarness, fake: FakeBotApi, clock: SetClock) -> None:
    digest_bot.say(f"/subscribe {_at(clock, 1)}")
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=READER)
    clock.current += dt.timedelta(minutes=1)
    digest_bot.tick()
    sub = digest_bot.digests.subscriptions[READER]
    assert not sub.active and "blocked" in sub.stopped
    clock.current += dt.timedelta(days=1)
    digest_bot.tick()
    assert digests_to(fake, READER) == []


def test_a_digest_missed_while_down_comes_once_after_restart(data: Path, fake: FakeBotApi,
                                                            clock: SetClock) -> None:
    first = BotHarness(make_config(data, fake), fake, clock).start()
    try:
        first.say(f"/subscribe {_at(clock, 1)}")
    finally:
        first.stop()
    clock.current += dt.timedelta(hours=2)  # down over the digest time, back within the grace
    for _ in range(2):  # two restarts: the digest comes once
        again = BotHarness(make_config(data, fake), fake, clock).start()
        try:
            again.tick()
        finally:
            again.stop()
    assert len(digests_to(fake, READER)) == 1
    with Ledger.open(data) as ledger:
        record = ledger.record(clock.now().date(), READER)
        assert record is not None and record.complete and record.sent == frozenset({0})


def test_a_new_subscription_waits_for_its_time(digest_bot: BotHarness, fake: FakeBotApi,
                                               clock: SetClock) -> None:
    """Subscribing at 09:00 for 08:00 means tomorrow at 08:00, not a catch-up now."""
    earlier = f"{(clock.now() - dt.timedelta(hours=1)):%H:%M}"
    (reply,) = digest_bot.say(f"/subscribe {earlier} UTC")
    tomorrow = clock.now() + dt.timedelta(hours=23)
    assert f"Next: {tomorrow:%a %d %b}, {earlier}." in reply.text
    digest_bot.tick()
    assert digests_to(fake, READER) == []


def test_paid_broadcast_parts_are_marked_as_paid(data: Path, fake: FakeBotApi,
                                                 clock: SetClock) -> None:
    import dataclasses

    from bot.config import DigestConfig

    config = dataclasses.replace(make_config(data, fake),
                                 digest=DigestConfig(rate=500, paid_broadcast=True))
    bot = BotHarness(config, fake, clock).start()
    try:
        bot.say(f"/subscribe {_at(clock, 1)}")
        clock.current += dt.timedelta(minutes=1)
        bot.tick()
    finally:
        bot.stop()
    (sent,) = digests_to(fake, READER)
    assert sent.startswith("Your news for ")
    (call,) = [c for c in fake.calls("sendMessage") if c.params["text"].startswith("<b>Your news")]
    assert call.params.get("allow_paid_broadcast") in (True, "true", "True")
