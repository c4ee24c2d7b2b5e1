"""Hostile and huge article text, uploads, and failures inside handlers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from summaries.article import Article, RankedSentence
from summaries.store import Store
from tests.bot.harness import ADMIN, READER, BotHarness, make_config
from tests.fakes import FakeBotApi

HOSTILE_TEXT = ("Officials posted <script>alert('x')</script> on the site. Costs & benefits were "
                "argued. A lone <b> tag appeared in the minutes. Nobody closed it.")


def _store_article(data: Path, text: str, title: str, day: dt.date) -> Article:
    sentences = [s + "." for s in text.split(". ") if s]
    article = Article(id=f"{day:%Y%m%d}-abcdef0123", date=day, title=title, text=text, language="en",
                      ranked=tuple(RankedSentence(i, s) for i, s in enumerate(sentences[:5])),
                      source="Test <Wire> & Co")
    with Store.open(data) as store:
        store.add([article])
    return article


def _start(data: Path, fake: FakeBotApi) -> BotHarness:
    return BotHarness(make_config(data, fake), fake).start()


def test_html_in_articles_is_shown_literally(tmp_path: Path, fake: FakeBotApi) -> None:
    data = tmp_path / "data"
    _store_article(data, HOSTILE_TEXT, "A <b> title & <i>more", dt.date(2026, 3, 1))
    bot = _start(data, fake)
    try:
        (listing,) = bot.say("/date 2026-03-01")
        assert "A <b> title & <i>more" in listing.text  # the fake parsed the HTML: it was valid
        (card,) = bot.press(listing, "1")
        assert "<script>alert('x')</script>" in card.text
        assert "Costs & benefits" in card.text and "A lone <b> tag" in card.text
        assert "Test <Wire> & Co" in card.text
        assert "<script>" not in card.html.replace("&lt;script&gt;", "")
    finally:
        bot.stop()


def test_a_20000_character_article_arrives_whole_in_parts(tmp_path: Path, fake: FakeBotApi) -> None:
    data = tmp_path / "data"
    paragraph = " ".join(f"Sentence {i} of a very long report on the river." for i in range(60))
    text = "\n\n".join([paragraph] * 7)[:20_000]
    assert len(text) == 20_000
    _store_article(data, text, "The long report", dt.date(2026, 3, 2))
    bot = _start(data, fake)
    try:
        (listing,) = bot.say("/date 2026-03-02")
        (card,) = bot.press(listing, "1")
        parts = bot.press(card, "Full text")
        assert len(parts) >= 5
        assert all(len(p.text.encode("utf-16-le")) // 2 <= 4096 for p in parts)
        shown = "".join("".join(p.text.split()) for p in parts)
        assert "".join(text.split()) in shown
    finally:
        bot.stop()


def test_admin_uploads_articles(bot: BotHarness) -> None:
    story = ("date 2026-03-03 ELM CITY, March 3. The new ferry terminal opened on Tuesday. "
             "Hundreds of riders came to see it.").encode()
    (reply,) = bot.upload("terminal.txt", story, ADMIN)
    assert reply.text == "terminal.txt: added 1, already present 0, rejected 0"
    (again,) = bot.upload("terminal.txt", story, ADMIN)
    assert again.text == "terminal.txt: added 0, already present 1, rejected 0"
    (day,) = bot.say("/date 2026-03-03")
    assert "The new ferry terminal opened on Tuesday" in day.text
    (bad,) = bot.upload("bad.txt", b"date 2026-02-30 Oops.", ADMIN)
    assert bad.text == ("bad.txt: added 0, already present 0, rejected 1\n"
                        "• bad.txt: impossible date 2026-02-30")
    (binary,) = bot.upload("x.txt", b"\x00\x01\x02", ADMIN)
    assert "binary file, not text" in binary.text
    (wrong,) = bot.upload("photo.png", b"\x89PNG", ADMIN)
    assert wrong.text.startswith("photo.png: send articles as .txt files")


def test_uploads_over_the_limit_are_refused(bot: BotHarness) -> None:
    big = b"date 2026-03-04 " + b"Word. " * 400_000
    (reply,) = bot.upload("big.txt", big, ADMIN)
    assert reply.text == f"big.txt is {len(big) / 1e6:.1f} MB; the limit is 2.0 MB."


def test_uploads_from_readers_are_not_taken(bot: BotHarness) -> None:
    (reply,) = bot.upload("x.txt", b"date 2026-03-03 Sneaky. Story.", READER)
    assert reply.text == "I don't know that command. /help lists what I can do."
    (day,) = bot.say("/date 2026-03-03")
    assert "Sneaky" not in day.text


def test_a_failing_handler_says_so_and_the_bot_goes_on(bot: BotHarness, data: Path) -> None:
    day_file = next(data.rglob("2026-02-22*.json"))
    day_file.write_text("{ this is not json")
    (reply,) = bot.say("/date 2026-02-22")
    assert reply.text == "Sorry, something went wrong. Please try again."
    (other,) = bot.say("/date 2026-02-23")
    assert other.text.startswith("Monday, 23 February 2026")
