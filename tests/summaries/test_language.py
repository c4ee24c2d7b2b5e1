from __future__ import annotations

import pytest

from summaries.language import SAMPLE_CHARS, detect_language

ENGLISH = (
    "The city council voted on Tuesday to extend the night bus service until the end of "
    "the year, after a survey showed that most riders work late shifts."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, den Nachtbusverkehr bis zum Jahresende zu "
    "verlängern, nachdem eine Umfrage gezeigt hatte, dass die meisten Fahrgäste spät arbeiten."
)
RUSSIAN = (
    "Городской совет во вторник проголосовал за продление работы ночных автобусов до конца "
    "года, после того как опрос показал, что большинство пассажиров работают допоздна."
)


@pytest.mark.parametrize(
    ("text", "expected"), [(ENGLISH, "en"), (GERMAN, "de"), (RUSSIAN, "ru")]
)
def test_detects_the_language_of_a_sentence(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "OK", "12:30", "2024-05-01 17 42 99", "Paris"])
def test_gives_no_answer_for_too_little_text(text: str) -> None:
    assert detect_language(text) is None


def test_reads_only_the_beginning() -> None:
    text = ENGLISH * (SAMPLE_CHARS // len(ENGLISH) + 1) + GERMAN * 50
    assert detect_language(text) == "en"
