from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from summaries.article import MAX_SUMMARY_SENTENCES, RankedSentence
from summaries.summarize import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    MAX_RANKED_SENTENCES,
    SUPPORTED_LANGUAGES,
    Ranking,
    rank_sentences,
    split_sentences,
    summarize,
)

ROOT = Path(__file__).resolve().parents[2]

ENGLISH = """\
The city of Riverton opened its new flood barrier on Monday, two years after the river \
burst its banks and damaged more than 400 homes. The barrier, a steel and concrete wall \
along the east bank, cost 38 million dollars and was paid for by the state and the city.
Mayor Ellen Ward said the barrier would protect the old town from a flood of the size \
seen in 2022. Engineers tested the barrier's gates last week by closing them against a \
high river. The river rose again in March, but the gates held and no homes were damaged.
Some residents said the barrier blocks their view of the river. The city plans a public \
walkway on top of the barrier next year. Flood insurance costs in the old town are expected \
to fall once insurers accept the new barrier."""

DATELINED = (
    "date 2024-02-25 BAKU, Azerbaijan, February 25. The central bank kept its key rate at "
    "7.25 percent on Friday. Analysts had expected the bank to hold the rate. Inflation "
    "slowed to 2.1 percent in January, the bank said.   It will meet again in April."
)

RUSSIAN = (
    "Городской совет Ривертона в понедельник открыл новую дамбу на реке. Два года назад "
    "река вышла из берегов и повредила более четырёхсот домов. Дамба стоила тридцать восемь "
    "миллионов долларов, её оплатили город и область. Мэр города сказала, что дамба защитит "
    "старый город от наводнений. Инженеры проверили ворота дамбы на прошлой неделе. Жители "
    "жалуются, что дамба закрывает вид на реку."
)

GERMAN = (
    "Die Stadt Riverton hat am Montag ihre neue Hochwassermauer eröffnet. Vor zwei Jahren "
    "war der Fluss über die Ufer getreten und hatte mehr als vierhundert Häuser beschädigt. "
    "Die Mauer hat achtunddreißig Millionen Dollar gekostet. Die Bürgermeisterin sagte, die "
    "Mauer schütze die Altstadt vor einem Hochwasser wie im Jahr 2022. Ingenieure haben die "
    "Tore der Mauer in der vergangenen Woche geprüft. Einige Anwohner beklagen, dass die "
    "Mauer den Blick auf den Fluss versperrt."
)

CHINESE = (
    "河城市星期一启用了新的防洪墙。两年前河水泛滥，四百多所房屋受损。防洪墙耗资三千八百万美元。"
    "市长说，防洪墙将保护老城区。工程师上周测试了闸门。"
)

THAI = (
    "เมืองริเวอร์ตันเปิดกำแพงกันน้ำท่วมแห่งใหม่เมื่อวันจันทร์ "
    "สองปีก่อนแม่น้ำล้นตลิ่งและทำให้บ้านกว่าสี่ร้อยหลังเสียหาย"
)


def squash(text: str) -> str:
    return " ".join(text.split())


def assert_extracted(summary: list[str], text: str) -> None:
    """Every sentence is a slice of the text (modulo whitespace), in article order."""
    flat = squash(text)
    offsets = []
    for sentence in summary:
        assert sentence.strip() == sentence and sentence
        assert squash(sentence) in flat
        offsets.append(text.index(sentence))
    assert offsets == sorted(offsets)


def test_public_constants() -> None:
    assert DEFAULT_ALGORITHM in ALGORITHMS
    assert "lead" in ALGORITHMS
    assert {"en": "english", "de": "german", "ru": "russian"}.items() <= SUPPORTED_LANGUAGES.items()
    assert not {"zh", "ja", "ko", "th", "ar", "he"} & SUPPORTED_LANGUAGES.keys()


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text(text: str) -> None:
    ranking = rank_sentences(text)
    assert ranking.sentence_count == 0
    assert ranking.ranked == ()
    assert summarize(text) == []


def test_one_sentence() -> None:
    text = "  The council approved the budget on Monday.\n"
    assert summarize(text, 3) == ["The council approved the budget on Monday."]
    ranking = rank_sentences(text)
    assert ranking.ranked == (RankedSentence(0, "The council approved the budget on Monday."),)
    assert not ranking.fallback


def test_fewer_sentences_than_asked_gives_all() -> None:
    sentences = split_sentences(ENGLISH)
    assert len(sentences) == 8
    assert summarize(ENGLISH, 20, "en") == sentences


@pytest.mark.parametrize(
    "text",
    [
        "It is. It was not. Is it? It is what it was.",
        "2020 2021. 30 40 50. 678 9.",
        "1. 2. 3. 4.",
    ],
    ids=["stop-words", "numbers", "numbered"],
)
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_text_without_content_words_gives_the_lead(text: str, algorithm: str) -> None:
    ranking = rank_sentences(text, "en", algorithm=algorithm, keep=2)
    sentences = split_sentences(text)
    assert [s.position for s in ranking.ranked] == [0, 1]
    assert [s.text for s in ranking.ranked] == sentences[:2]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_summarizes_english(algorithm: str) -> None:
    ranking = rank_sentences(ENGLISH, "en", algorithm=algorithm)
    assert ranking == dataclasses.replace(ranking)  # a plain frozen value
    assert not ranking.fallback
    assert ranking.language == "en"
    assert ranking.sentence_count == 8
    assert len(ranking.ranked) == MAX_SUMMARY_SENTENCES
    sentences = split_sentences(ENGLISH)
    positions = [s.position for s in ranking.ranked]
    assert len(set(positions)) == len(positions)
    assert all(sentences[s.position] == s.text for s in ranking.ranked)
    summary = summarize(ENGLISH, 3, "en", algorithm=algorithm)
    assert len(summary) == 3
    assert_extracted(summary, ENGLISH)


def test_lead_takes_the_first_sentences() -> None:
    assert summarize(ENGLISH, 2, algorithm="lead") == split_sentences(ENGLISH)[:2]


def test_summary_is_in_article_order_and_follows_the_ranking() -> None:
    ranking = rank_sentences(ENGLISH, "en", keep=3)
    expected = [s.text for s in sorted(ranking.ranked, key=lambda s: s.position)]
    assert summarize(ENGLISH, 3, "en") == expected


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        DATELINED,
        ENGLISH.replace(" ", "\n", 7).replace(". ", ".   \t"),
        "Mr. J. Smith, 45, paid $3.50 at 10 a.m. on Feb. 25 in the U.S. He left. Why? "
        "Nobody knows... \u201cWe will see,\u201d he said. The end.",
        RUSSIAN,
        GERMAN,
    ],
)
def test_sentences_are_slices_of_the_input(text: str) -> None:
    for algorithm in ALGORITHMS:
        summary = summarize(text, 3, algorithm=algorithm)
        assert summary
        assert_extracted(summary, text)
    assert_extracted(split_sentences(text), text)


def test_dateline_and_date_prefix_do_not_break_it() -> None:
    ranking = rank_sentences(DATELINED)
    assert ranking.language == "en"
    assert ranking.sentence_count >= 4


def test_repeated_sentence_is_ranked_once() -> None:
    text = "Scroll down for video. " + ENGLISH + " Scroll down for video."
    texts = [s.text for s in rank_sentences(text, "en", keep=20).ranked]
    assert texts.count("Scroll down for video.") == 1


@pytest.mark.parametrize(("text", "language"), [(RUSSIAN, "ru"), (GERMAN, "de")])
def test_russian_and_german_are_ranked(text: str, language: str) -> None:
    ranking = rank_sentences(text)
    assert ranking.language == language
    assert not ranking.fallback
    assert ranking.sentence_count == 6
    summary = summarize(text, 2)
    assert len(summary) == 2
    assert_extracted(summary, text)


def test_language_may_be_given_in_several_spellings() -> None:
    for spelling in ("en", "EN", "en-GB", "en_US", "english"):
        assert rank_sentences(ENGLISH, spelling).language == "en"


def test_unsure_detection_means_english() -> None:
    ranking = rank_sentences("Ok. 12.")
    assert ranking.language == "en"
    assert not ranking.fallback


@pytest.mark.parametrize(("text", "language"), [(CHINESE, "zh"), (THAI, "th")])
def test_unsupported_language_gives_the_lead_with_a_warning(
    text: str, language: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="summaries.summarize"):
        ranking = rank_sentences(text, keep=2)
    assert ranking.language == language
    assert ranking.fallback
    sentences = split_sentences(text, language)
    assert [s.text for s in ranking.ranked] == sentences[:2]
    assert any(language in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert_extracted(summarize(text, 2), text)


def test_chinese_is_split_at_full_stops() -> None:
    assert len(split_sentences(CHINESE, "zh")) == 5


@pytest.mark.parametrize(("module", "algorithm"), [("nlp", "lexrank"), ("rank", "news")])
def test_algorithm_failure_gives_the_lead(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, module: str, algorithm: str
) -> None:
    import summaries

    def broken(*args: object, **kwargs: object) -> list[tuple[int, float]]:
        raise RuntimeError("boom")

    monkeypatch.setattr(getattr(summaries, module), "rank", broken)
    with caplog.at_level(logging.WARNING, logger="summaries.summarize"):
        ranking = rank_sentences(ENGLISH, "en", algorithm=algorithm, keep=2)
    assert ranking.fallback
    assert [s.position for s in ranking.ranked] == [0, 1]
    assert caplog.records


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown summary algorithm"):
        rank_sentences(ENGLISH, algorithm="magic")


def test_huge_input_is_bounded() -> None:
    text = " ".join(
        f"Report {i} says the river near bridge {i % 17} rose by {i % 9} metres overnight."
        for i in range(5_000)
    )
    ranking = rank_sentences(text, "en")
    assert ranking.sentence_count == MAX_RANKED_SENTENCES
    assert len(ranking.ranked) == MAX_SUMMARY_SENTENCES
    assert all(s.position < MAX_RANKED_SENTENCES for s in ranking.ranked)
    # a single endless "sentence" is cut, not refused
    endless = "word " * 500_000
    (only,) = rank_sentences(endless, "en").ranked
    assert squash(only.text) in squash(endless)


def test_fast_lexrank_ranks_like_sumy_lexrank() -> None:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.summarizers.lex_rank import LexRankSummarizer

    from summaries import nlp

    sentences = split_sentences(ENGLISH)
    stock = LexRankSummarizer(nlp._stemmer("en"))
    stock.stop_words = nlp.stop_words("en")
    tokenizer = nlp._tokenizer("en")
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
    captured: list[int] = []

    def capture(infos: list[Any]) -> list[Any]:
        captured.extend(info.order for info in infos)
        return infos

    stock(document, capture)
    assert [index for index, _ in nlp.rank(sentences, "en", "lexrank")] == captured


def test_importing_summaries_loads_no_nlp_library() -> None:
    code = (
        "import sys, summaries, summaries.summarize, summaries.nlp, summaries.language; "
        "print([m for m in ('sumy', 'nltk', 'nupunkt', 'py3langid') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_works_offline_without_nltk_data(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    script = textwrap.dedent(
        f"""
        import json, socket

        def no_network(*args, **kwargs):
            raise OSError("network use in an offline test")

        socket.socket.connect = no_network
        socket.create_connection = no_network

        import nltk
        try:
            nltk.data.find("tokenizers/punkt_tab")
        except LookupError:
            pass
        else:
            raise SystemExit("punkt_tab is installed: this test proves nothing")

        from summaries.summarize import ALGORITHMS, SUPPORTED_LANGUAGES, rank_sentences, summarize

        text = {ENGLISH!r}
        out = {{a: summarize(text, 3, "en", algorithm=a) for a in ALGORITHMS}}
        for code in SUPPORTED_LANGUAGES:
            assert not rank_sentences(text, code).fallback, code
        out["detected"] = summarize({RUSSIAN!r}, 2)
        print(json.dumps(out))
        """
    )
    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for algorithm in ALGORITHMS:
        assert len(out[algorithm]) == 3
        assert_extracted(out[algorithm], ENGLISH)
    assert_extracted(out["detected"], RUSSIAN)


def test_ranking_is_frozen() -> None:
    ranking = rank_sentences(ENGLISH, "en")
    assert isinstance(ranking, Ranking)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ranking.language = "de"  # type: ignore[misc]


def test_the_news_ranker_is_the_default() -> None:
    assert DEFAULT_ALGORITHM == "news"
    assert ALGORITHMS[0] == "news"


def test_a_dateline_is_a_sentence_of_its_own_and_never_summarised() -> None:
    text = "FREIBURG, 14. Mai. " + GERMAN
    sentences = split_sentences(text, "de")
    assert sentences[0] == "FREIBURG, 14. Mai."
    assert sentences[1:] == split_sentences(GERMAN, "de")
    summary = summarize(text, 3, "de")
    assert "FREIBURG, 14. Mai." not in summary
    assert_extracted(summary, text)
    assert not any("BAKU" in s for s in summarize(DATELINED, 3))


def test_web_furniture_and_glued_captions_stay_out_of_summaries() -> None:
    caption = "Mayor Ellen Ward opened the barrier on Monday morning in front of the crowd"
    text = (
        "By . Daily Mail Reporter . Scroll down for video. "
        + ENGLISH.replace("The city plans", caption + " The city plans")
    )
    sentences = split_sentences(text)
    assert caption in sentences  # cut off the sentence it was glued to
    for n in range(1, 6):
        summary = summarize(text, n, "en")
        assert len(summary) == n
        assert_extracted(summary, text)
        assert not any("Scroll down" in s or "Reporter" in s for s in summary)


def test_summary_prefixes_follow_one_ranking() -> None:
    """The store keeps the top five; a summary of n is the first n of them, in order."""
    ranking = rank_sentences(ENGLISH, "en")
    for n in range(1, 6):
        prefix = sorted(ranking.ranked[:n], key=lambda s: s.position)
        assert summarize(ENGLISH, n, "en") == [s.text for s in prefix]
