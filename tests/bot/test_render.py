from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from bot import keyboards
from bot.render import Segment, article_card, full_text, to_messages, utf16_units
from summaries.article import Article, RankedSentence

_TAG = re.compile(r"</?([a-z]+)[^>]*>")


def visible(message: str) -> str:
    """What Telegram counts: the text with tags removed and entities decoded."""
    return html.unescape(_TAG.sub("", message))


def assert_balanced(message: str) -> None:
    stack: list[str] = []
    for match in _TAG.finditer(message):
        if match.group(0).startswith("</"):
            assert stack and stack.pop() == match.group(1), message
        else:
            stack.append(match.group(1))
    assert not stack, message
    assert "<" not in _TAG.sub("", message)


def make_article(text: str, title: str = "A <b> title & more") -> Article:
    sentences = [s for s in re.split(r"(?<=\.)\s+", text) if s]
    ranked = tuple(RankedSentence(i, s) for i, s in enumerate(sentences[:5]))
    return Article(id="20260225-0123456789", date=dt.date(2026, 2, 25), title=title, text=text,
                   language="en", ranked=ranked, place="OSLO", source="Wire & Co")


def test_utf16_counts_emoji_as_two() -> None:
    assert utf16_units("a😀") == 3


def test_article_text_is_escaped() -> None:
    article = make_article("<script>alert(1)</script> & more. A lone <b> tag.")
    (message,) = to_messages(article_card(article, 5))
    assert "<script>" not in message and "&lt;script&gt;" in message
    assert "&lt;b&gt; title &amp; more" in message
    assert_balanced(message)


@pytest.mark.parametrize("unit", ["Word ", "Ein Satz mit Wörtern. ", "😀", "x"])
def test_a_20000_character_article_splits_under_the_limit(unit: str) -> None:
    text = (unit * (20_000 // len(unit)))[:20_000]
    article = make_article(text)
    messages = to_messages(full_text(article))
    assert len(messages) >= 5
    for message in messages:
        assert utf16_units(visible(message)) <= 4096
        assert_balanced(message)
    shown = "".join(visible(m) for m in messages)
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    assert squeeze(shown).endswith(squeeze(text))  # nothing of the article is lost


def test_splits_fall_between_sentences() -> None:
    sentences = [f"Sentence {i} says something about the harbor." for i in range(400)]
    messages = to_messages([Segment("Title", "b", gap=""), Segment(" ".join(sentences))])
    assert len(messages) > 1
    for message in messages[1:]:
        assert visible(message).startswith("Sentence ")
    for message in messages[:-1]:
        assert visible(message).endswith("harbor.")
    assert sum(visible(m).count("Sentence") for m in messages) == 400


def test_callback_data_round_trips_and_forgeries_are_refused() -> None:
    for value in (keyboards.data("a", "20260225-0123456789", 3), keyboards.data("d", "20260225", 2),
                  keyboards.data("n", 4), keyboards.data("h", "latest")):
        assert keyboards.parse(value) is not None
        assert len(value.encode()) <= 64
    for forged in ("", "x", "1:a:../../etc:3", "1:a:20260225-0123456789:9", "1:d:20260230:0",
                   "2:a:20260225-0123456789:3", "1:zz:1", "1:n:3:extra", "1:s:" + "a" * 80):
        assert keyboards.parse(forged) is None
