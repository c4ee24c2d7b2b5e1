from __future__ import annotations

from datetime import date

import pytest

from bot.dates import ACCEPTED_FORMS, DateAnswer, looks_like_date, parse_when, warm_up

TODAY = date(2026, 2, 27)  # a Friday


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-25", date(2026, 2, 25)),
        ("25.02.2026", date(2026, 2, 25)),
        ("25/02/2026", date(2026, 2, 25)),
        ("05/03/2026", date(2026, 3, 5)),  # day first
        ("25-02-2026", date(2026, 2, 25)),
        ("25.02.26", date(2026, 2, 25)),
        ("Feb 25", date(2026, 2, 25)),
        ("Feb. 25", date(2026, 2, 25)),
        ("February 25", date(2026, 2, 25)),
        ("February 25, 2026", date(2026, 2, 25)),
        ("25 February 2026", date(2026, 2, 25)),
        ("25 Feb", date(2026, 2, 25)),
        ("25th February", date(2026, 2, 25)),
        ("today", date(2026, 2, 27)),
        ("Today?", date(2026, 2, 27)),
        ("yesterday", date(2026, 2, 26)),
        ("  yesterday  ", date(2026, 2, 26)),
        ("3 days ago", date(2026, 2, 24)),
        ("last friday", date(2026, 2, 20)),
        ("tuesday", date(2026, 2, 24)),
        ("вчера", date(2026, 2, 26)),
        ("позавчера", date(2026, 2, 25)),
        ("25 февраля 2026", date(2026, 2, 25)),
        ("25 февраля 2026 г.", date(2026, 2, 25)),
        ("3 дня назад", date(2026, 2, 24)),
        ("в прошлую пятницу", date(2026, 2, 20)),
        ("gestern", date(2026, 2, 26)),
        ("vorgestern", date(2026, 2, 25)),
        ("25. Februar 2026", date(2026, 2, 25)),
        ("1. März 2026", date(2026, 3, 1)),
        ("vor 3 Tagen", date(2026, 2, 24)),
        ("letzten Freitag", date(2026, 2, 20)),
        ("2030-01-01", date(2030, 1, 1)),  # far future: allowed, the bot finds no articles
    ],
)
def test_parse_when_reads_the_day(text: str, expected: date) -> None:
    assert parse_when(text, TODAY) == DateAnswer(expected, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Feb 27", date(2026, 2, 27)),  # today itself stays this year
        ("Feb 28", date(2025, 2, 28)),
        ("March 1", date(2025, 3, 1)),
        ("1 mar", date(2025, 3, 1)),
        ("5 марта", date(2025, 3, 5)),
        ("5. März", date(2025, 3, 5)),
        ("Dec 25", date(2025, 12, 25)),
        ("Feb 29", date(2024, 2, 29)),  # the last 29 February that existed
    ],
)
def test_a_year_less_date_is_never_in_the_future(text: str, expected: date) -> None:
    assert parse_when(text, TODAY).day == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-02-30", "There is no 30 February 2026."),
        ("31.02.2026", "There is no 31 February 2026."),
        ("31/04/2026", "There is no 31 April 2026."),
        ("30 February 2026", "There is no 30 February 2026."),
        ("Feb 30", "There is no 30 February."),
        ("30 февраля 2026", "There is no 30 February 2026."),
        ("31. April 2026", "There is no 31 April 2026."),
        ("29.02.2026", "There is no 29 February 2026."),
        ("25.13.2026", "There is no month 13."),
    ],
)
def test_impossible_dates_are_named(text: str, problem: str) -> None:
    assert parse_when(text, TODAY) == DateAnswer(None, problem)


@pytest.mark.parametrize(
    "text", ["xyz", "hello world", "what's new", "bridge closure", "1700000000", "a" * 300]
)
def test_not_a_date_lists_the_accepted_forms(text: str) -> None:
    answer = parse_when(text, TODAY)
    assert answer.day is None and answer.problem is not None
    assert answer.problem.startswith(f"I could not read '{text[:40]}")
    assert answer.problem.endswith(f"Try: {ACCEPTED_FORMS}")
    assert len(answer.problem) < 200 + len(ACCEPTED_FORMS)


@pytest.mark.parametrize("text", ["2026", "March", "Februar 2026"])
def test_a_whole_month_or_year_is_not_a_day(text: str) -> None:
    answer = parse_when(text, TODAY)
    assert answer.problem == f"'{text}' is not a single day. Try: {ACCEPTED_FORMS}"


@pytest.mark.parametrize("text", ["", "   ", "?"])
def test_empty_asks_for_a_date(text: str) -> None:
    answer = parse_when(text, TODAY)
    assert answer.day is None
    assert answer.problem == f"Which day? Send a date, for example: {ACCEPTED_FORMS}"


def test_relative_words_count_from_the_given_today() -> None:
    assert parse_when("yesterday", date(2025, 1, 1)).day == date(2024, 12, 31)
    assert parse_when("вчера", date(2024, 3, 1)).day == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-25", "25.02.2026", "25/02/2026", "25.02.26", "Feb 25", "February 25",
        "25 February 2026", "25 Feb", "25th of February", "today", "Yesterday?",
        "the day before yesterday", "3 days ago", "a week ago", "last friday", "Sunday",
        "вчера", "сегодня", "позавчера", "25 февраля 2026", "5 дней назад", "в пятницу",
        "gestern", "heute", "vorgestern", "25. Februar 2026", "vor 3 Tagen", "am Freitag",
        "2026-02-30", "Feb 30",  # impossible, but clearly meant as a date: answer it
    ],
)
def test_looks_like_date(text: str) -> None:
    assert looks_like_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "", "hello", "12", "2026", "what's new", "bridge closure", "the 5 best stories",
        "3.5", "12.50", "1/2", "may I ask something", "March", "today's weather in Baku",
        "I was there yesterday", "friday night lights", "what happened on 25 February 2026",
        "25 February 2026 " * 5,
    ],
)
def test_ordinary_chat_is_not_a_date(text: str) -> None:
    assert not looks_like_date(text)


def test_every_bare_date_parses() -> None:
    for text in ["Feb 25", "last friday", "в пятницу", "am Freitag", "a week ago"]:
        assert looks_like_date(text)
        assert parse_when(text, TODAY).day is not None, text


def test_answer_holds_exactly_one_of_day_and_problem() -> None:
    with pytest.raises(ValueError):
        DateAnswer(None, None)
    with pytest.raises(ValueError):
        DateAnswer(TODAY, "both")
