"""Every command, through the real bot and HTTP client against the loopback fake API."""

from __future__ import annotations

import re
from pathlib import Path

from summaries.records import Records
from summaries.store import Store
from tests.bot.harness import ADMIN, READER, BotHarness, make_config, with_telegram
from tests.fakes import FakeBotApi

ID = re.compile(r"/article (\d{8}-[0-9a-f]{10})")


def test_start_offers_buttons_and_the_menu_is_registered(bot: BotHarness, fake: FakeBotApi) -> None:
    (reply,) = bot.say("/start")
    assert "I summarize the news" in reply.text
    labels = [text for row in reply.keyboard for text, _ in row]
    assert labels == ["Latest news", "Today", "How to search", "Summary length"]
    names = [c["command"] for c in fake.commands()]
    assert names == ["latest", "date", "search", "article", "subscribe", "status", "digest",
                     "unsubscribe", "settings", "sources", "help"]
    (latest,) = bot.press(reply, "Latest news")
    assert latest.text.startswith("The newest articles")


def test_help_lists_the_commands(bot: BotHarness) -> None:
    (reply,) = bot.say("/help")
    for command in ("/latest", "/date", "/search", "/article", "/settings", "/sources"):
        assert command in reply.text


def test_latest_pages_forward_and_back_in_place(bot: BotHarness) -> None:
    (first,) = bot.say("/latest")
    assert "Page 1 of 4" in first.text
    (second,) = bot.press(first, "Next ›")
    assert second.message_id == first.message_id and "Page 2 of 4" in second.text
    assert second.text.split("\n")[2] != first.text.split("\n")[2]
    (back,) = bot.press(second, "‹ Previous")
    assert back.text == first.text


def test_date_in_many_forms(bot: BotHarness) -> None:
    for form in ("/date 2026-02-23", "/date 23.02.2026", "/date 23 February 2026", "23.02.2026",
                 "Feb 23, 2026"):
        (reply,) = bot.say(form)
        assert reply.text.startswith("Monday, 23 February 2026 — 3 articles"), form


def test_impossible_and_unreadable_dates(bot: BotHarness) -> None:
    (reply,) = bot.say("/date 2026-02-30")
    assert reply.text == "There is no 30 February 2026."
    (reply,) = bot.say("/date someday soon")
    assert reply.text.startswith("I could not read 'someday soon' as a date. Try: 2026-02-25")


def test_a_day_without_articles_offers_the_nearest(bot: BotHarness) -> None:
    (reply,) = bot.say("/date 2026-03-01")
    assert reply.text == "No articles on 01 March 2026. The nearest days with news:"
    labels = [text for row in reply.keyboard for text, _ in row]
    assert labels == ["23 Feb 2026", "24 Feb 2026", "25 Feb 2026"]
    (day,) = bot.press(reply, "25 Feb 2026")
    assert day.text.startswith("Wednesday, 25 February 2026")


def test_article_shorter_and_longer_in_place(bot: BotHarness) -> None:
    (day,) = bot.say("/date 2026-02-21")
    (card,) = bot.press(day, "1")
    assert card.message_id != day.message_id  # the list stays
    article_id = ID.search(card.text).group(1)  # type: ignore[union-attr]
    (longer,) = bot.press(card, "+ Longer")
    assert longer.message_id == card.message_id and len(longer.text) > len(card.text)
    (shorter,) = bot.press(longer, "− Shorter")
    assert shorter.text == card.text
    (direct,) = bot.say(f"/article {article_id}")
    assert direct.text == card.text
    (missing,) = bot.say("/article 20260221-ffffffffff")
    assert missing.text.startswith("There is no article with the id 20260221-ffffffffff")


def test_search_finds_and_pages(bot: BotHarness) -> None:
    (reply,) = bot.say("/search harbor bridge")
    assert reply.text.startswith("“harbor bridge” — 2 articles")
    (nothing,) = bot.say("/search zeppelin")
    assert nothing.text.startswith("Nothing found for “zeppelin”")
    (plain,) = bot.say("harbor bridge")  # a plain message is a search
    assert plain.text == reply.text
    (empty,) = bot.say("/search")
    assert empty.text.startswith("Send /search followed by words")


def test_settings_change_summary_length_and_persist(bot: BotHarness, data) -> None:  # type: ignore[no-untyped-def]
    (settings,) = bot.say("/settings")
    assert "Summary length: 3 sentences" in settings.text
    (chosen,) = bot.press(settings, "1")
    assert "Summary length: 1 sentence (first row)" in chosen.text
    (day,) = bot.say("/date 2026-02-21")
    (card,) = bot.press(day, "1")
    assert card.keyboard[0] == [("+ Longer", card.keyboard[0][0][1])]  # at 1, only longer
    bot.stop()
    bot.stop = lambda: None  # type: ignore[method-assign]
    with Store.open(data, writable=False) as store:
        assert Records(store.table("chats")).get(READER) == {"sentences": 1}


def test_sources_lists_the_archive(bot: BotHarness) -> None:
    (reply,) = bot.say("/sources")
    assert "The archive covers 21 Feb 2026 to 25 Feb 2026." in reply.text
    assert "Harbor Daily — 1" in reply.text


def test_unknown_command(bot: BotHarness) -> None:
    (reply,) = bot.say("/frobnicate")
    assert reply.text == "I don't know that command. /help lists what I can do."


def test_stats_only_for_admins(bot: BotHarness) -> None:
    (denied,) = bot.say("/stats", chat_id=READER)
    assert denied.text == "I don't know that command. /help lists what I can do."
    (stats,) = bot.say("/stats", chat_id=ADMIN)
    assert "Articles: 20" in stats.text and "Store size:" in stats.text and "Uptime:" in stats.text


def test_forged_and_stale_buttons_get_a_polite_answer(bot: BotHarness, fake: FakeBotApi) -> None:
    (reply,) = bot.say("/latest")
    for forged in ("1:a:../../etc/passwd:3", "garbage", "1:d:20260230:0", "1:s:deadbeef:1",
                   "1:a:20260221-0000000000:3"):
        mark = fake.mark()
        bot.press_data(reply, forged)
        answers = [c for c in fake.calls("answerCallbackQuery") if c.index >= mark]
        sent = [c for c in fake.calls("sendMessage") if c.index >= mark]
        assert answers, forged
        if forged.startswith("1:a:2026"):
            assert "no article" in sent[0].params["text"]  # well-formed but unknown id
        else:
            assert answers[0].params["text"].startswith("This button has expired")
            assert not sent
    (still,) = bot.say("/help")  # the bot is alive
    assert "/latest" in still.text


def test_a_days_list_pages_and_a_page_past_the_end_shows_the_last(data: Path,
                                                                   fake: FakeBotApi) -> None:
    bot = BotHarness(with_telegram(make_config(data, fake), page_size=2), fake).start()
    try:
        (first,) = bot.say("/date 2026-02-23")
        assert first.text.startswith("Monday, 23 February 2026 — 3 articles")
        assert "Page 1 of 2" in first.text and "1. " in first.text and "3. " not in first.text
        (second,) = bot.press(first, "Next ›")
        assert "Page 2 of 2" in second.text and "3. " in second.text and "1. " not in second.text
        (back,) = bot.press(second, "‹ Previous")
        assert "Page 1 of 2" in back.text
        (last,) = bot.press_data(back, "1:d:20260223:9")  # forged: there is no page 10
        assert last.text == second.text and last.keyboard == second.keyboard
    finally:
        bot.stop()
