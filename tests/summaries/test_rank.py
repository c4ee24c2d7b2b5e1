from __future__ import annotations

import math

import pytest

from summaries import rank
from summaries.summarize import split_sentences

STORY = [
    (
        "The city of Riverton opened its new flood barrier on Monday, two years after the "
        "river burst its banks and damaged more than 400 homes."
    ),
    "The barrier, a steel and concrete wall along the east bank, cost 38 million dollars.",
    "Mayor Ellen Ward said the barrier would protect the old town from a flood like 2022.",
    "Engineers tested the barrier's gates last week by closing them against a high river.",
    "Some residents said the barrier blocks their view of the river from the old town.",
    "The city plans a public walkway on top of the barrier and a new park next year.",
    "Flood insurance costs in the old town are expected to fall once insurers accept it.",
]


def order(sentences: list[str], **weights: object) -> list[int]:
    return [i for i, _ in rank.rank(sentences, "en", rank.Weights(**weights))]  # type: ignore[arg-type]


def test_empty_and_single_sentence() -> None:
    assert rank.rank([], "en") == []
    ((index, score),) = rank.rank(["The council approved the budget on Monday."], "en")
    assert index == 0 and not math.isnan(score)


def test_every_sentence_is_ranked_once() -> None:
    assert sorted(order(STORY)) == list(range(len(STORY)))


def test_the_lead_opens_a_plain_story() -> None:
    assert order(STORY)[0] == 0


def test_every_prefix_is_the_greedy_choice() -> None:
    """Article.summary(n) takes the first n of the stored ranking: n=3 must match picks=3."""
    five = [i for i, _ in rank.rank(STORY, "en", picks=5)]
    three = [i for i, _ in rank.rank(STORY, "en", picks=3)]
    assert five[:3] == three[:3]


def test_noise_is_ranked_last() -> None:
    text = ["By . Daily Mail Reporter .", "Scroll down for video.", *STORY, "Click here to read more."]
    ranked = order(text)
    assert set(ranked[-3:]) == {0, 1, len(text) - 1}
    # positions count among real sentences: the lead still leads after a byline
    assert ranked[0] == 2


def test_a_repeat_of_a_chosen_sentence_is_not_chosen_next() -> None:
    repeat = STORY[0].replace("Monday", "Monday morning")
    text = [STORY[0], repeat, *STORY[1:]]
    top = order(text, redundancy=1.0)[:2]
    assert top[0] == 0 and top[1] != 1


def test_a_long_sentence_does_not_win_by_length_alone() -> None:
    # the same words as the lead, padded to 90 words: without the budget it would lead
    long = " ".join([STORY[0].rstrip("."), "and"] + STORY[2].split() * 4)
    text = [STORY[0], *STORY[1:4], long, *STORY[4:]]
    assert order(text).index(4) > order(text, length=1000).index(4)


def test_a_fragment_does_not_win_by_being_all_keyword() -> None:
    text = [*STORY, "Barrier river town."]
    assert order(text)[:3].count(len(STORY)) == 0


def test_a_pronoun_does_not_open_the_summary_when_it_can_be_helped() -> None:
    central = "He said the new barrier would protect the old town from the river and a flood."
    text = [STORY[0], central, *STORY[1:]]
    # with little weight on position, the central sentence would open the summary...
    assert order(text, position=0.1, reference=1.0)[0] == 1
    # ...but it opens with "He", pointing at nothing, so the story's own opening goes first
    assert order(text, position=0.1)[0] != 1
    # a back-reference is fine once an earlier sentence opens the summary
    assert 1 in order(text, position=0.1)[:3]


def test_caption_is_demoted() -> None:
    caption = "Mayor Ellen Ward (pictured) said the barrier would protect the old town from a flood."
    text = [STORY[0], STORY[1], caption, *STORY[3:]]
    assert order(text).index(2) > order(text, caption=1.0).index(2)


def test_no_content_words_gives_nan_scores() -> None:
    scores = [s for _, s in rank.rank(["It is what it is.", "It was not."], "en")]
    assert all(math.isnan(s) for s in scores)


@pytest.mark.parametrize("pacsum", [False, True])
def test_both_centralities_rank_everything(pacsum: bool) -> None:
    assert sorted(order(STORY, pacsum=pacsum)) == list(range(len(STORY)))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            (
                "Городской совет открыл новую дамбу на реке. Два года назад река вышла из "
                "берегов. Дамба стоила тридцать восемь миллионов. Он сказал, что дамба защитит "
                "город."
            ),
            "ru",
        ),
        (
            (
                "Die Stadt hat ihre neue Hochwassermauer eröffnet. Vor zwei Jahren trat der "
                "Fluss über die Ufer. Die Mauer hat viel Geld gekostet. Er sagte, sie schütze "
                "die Altstadt."
            ),
            "de",
        ),
    ],
)
def test_russian_and_german(text: str, language: str) -> None:
    sentences = split_sentences(text, language)
    ranked = [i for i, _ in rank.rank(sentences, language)]
    assert sorted(ranked) == list(range(len(sentences)))
    assert ranked[0] == 0
