"""Extractive summaries: an article's sentences, ranked once at ingest.

    ranking = rank_sentences(text)            # at ingest; stored in Article.ranked
    summarize(text, 3)                        # the three best sentences, in article order

Every returned sentence is a slice of the input text, never sumy's re-spaced copy, and a
`RankedSentence.position` indexes `split_sentences(text, ranking.language)`. Sentences are
nupunkt's, except that a dateline is a sentence of its own and a photo caption glued into
the text without a full stop is cut off the sentence it ran into (`clean.glued_breaks`):
cleaning never rewrites text, it only decides where sentences end and which may be chosen.

Bounds: only the first MAX_TEXT_CHARS characters are read and only the first
MAX_RANKED_SENTENCES sentences of those are ranked, because graph rankers are quadratic in
sentences (sumy's LexRank needs half a second for 400) and one huge document must not stall
ingest. News puts its substance first, so nothing a summary needs is lost.

Whatever cannot be ranked is summarised by its lead (first sentences) with `fallback=True`:
a language sumy cannot handle offline, a sumy failure, or scores that mean nothing (NaN).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from summaries import nlp, rank
from summaries.article import MAX_SUMMARY_SENTENCES, RankedSentence
from summaries.clean import find_dateline, glued_breaks
from summaries.language import detect_language

logger = logging.getLogger(__name__)

# ISO 639-1 code -> sumy language name.
SUPPORTED_LANGUAGES: Mapping[str, str] = MappingProxyType(dict(nlp.SUMY_LANGUAGES))

# "news" is summaries.rank (position, centrality, length budget, no repeats);
# "lead" takes the first sentences: the strongest plain baseline on news.
ALGORITHMS: tuple[str, ...] = ("news", *nlp.SUMY_ALGORITHMS, "lead")

# "news" (summaries.rank) is the only ranker measured at or above Lead-3 on human
# highlights (CNN/DM dev ROUGE-2 F1 21.1 against 21.1, fewer words) and well above it on
# BBC's extracts (44.9 against 37.7), at about 3 ms per article with detection. Of sumy's,
# LexRank is the best on human highlights (16.3) and TextRank on BBC (54.9, but with the
# longest sentences). Figures and the command that makes them: README, "Summary quality".
DEFAULT_ALGORITHM = "news"

MAX_TEXT_CHARS = 200_000
MAX_RANKED_SENTENCES = 300

# When the language cannot be detected (a short or odd text), English is the best guess
# for this bot's sources.
FALLBACK_LANGUAGE = "en"

_NAME_TO_CODE = {name: code for code, name in SUPPORTED_LANGUAGES.items()}


@dataclass(frozen=True)
class Ranking:
    """The best sentences of one text, most important first.

    `sentence_count` is the number of sentences considered (at most MAX_RANKED_SENTENCES);
    `fallback` is True when the lead was used because the text could not be ranked.
    """

    language: str
    sentence_count: int
    ranked: tuple[RankedSentence, ...]
    fallback: bool


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The sentences of `text` in order, each an exact slice of it without outer space."""
    return [text[start:end] for start, end in _sentence_spans(text, _code(language))]


def rank_sentences(
    text: str,
    language: str | None = None,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    keep: int = MAX_SUMMARY_SENTENCES,
) -> Ranking:
    """Rank the sentences of `text` and keep the best `keep`.

    `language` is an ISO 639-1 code; None detects it (English when detection is unsure).
    Raises ValueError for an algorithm not in ALGORITHMS.
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown summary algorithm {algorithm!r}; choose one of {ALGORITHMS}")
    code = _code(language) if language is not None else detect_language(text)
    code = code or FALLBACK_LANGUAGE
    bounded = text[:MAX_TEXT_CHARS]
    spans = _sentence_spans(bounded, code)[:MAX_RANKED_SENTENCES]
    sentences = [bounded[start:end] for start, end in spans]
    lead = range(len(sentences))
    if not sentences or algorithm == "lead":
        return _ranking(code, sentences, lead, max(keep, 0), fallback=False)
    if code not in SUPPORTED_LANGUAGES:
        logger.warning("cannot rank sentences in language %r; using the lead", code)
        return _ranking(code, sentences, lead, max(keep, 0), fallback=True)
    if len(sentences) == 1:
        return _ranking(code, sentences, lead, max(keep, 0), fallback=False)
    try:
        if algorithm == "news":
            scored = rank.rank(sentences, code, picks=max(keep, 0))
        else:
            scored = nlp.rank(sentences, code, algorithm)
    except Exception:  # one odd article must not stop ingest; its lead is still a summary
        logger.warning("%s failed on a %r text; using the lead", algorithm, code, exc_info=True)
        return _ranking(code, sentences, lead, max(keep, 0), fallback=True)
    if any(math.isnan(score) for _, score in scored):
        # LexRank on sentences without a shared content word (only stop words or numbers)
        logger.info("%s gave no usable scores on a %r text; using the lead", algorithm, code)
        return _ranking(code, sentences, lead, max(keep, 0), fallback=True)
    order = (index for index, _ in scored)
    return _ranking(code, sentences, order, max(keep, 0), fallback=False)


def summarize(
    text: str,
    sentences: int = 3,
    language: str | None = None,
    *,
    algorithm: str = DEFAULT_ALGORITHM,
) -> list[str]:
    """The `sentences` best sentences of `text`, in article order (all of them if fewer)."""
    ranking = rank_sentences(text, language, algorithm=algorithm, keep=sentences)
    return [s.text for s in sorted(ranking.ranked, key=lambda s: s.position)]


def _ranking(
    language: str, sentences: list[str], order: Iterable[int], keep: int, *, fallback: bool
) -> Ranking:
    # A repeated sentence ("Scroll down for video") would otherwise take two summary slots.
    ranked: list[RankedSentence] = []
    seen: set[str] = set()
    for index in order:
        if len(ranked) >= keep:
            break
        key = " ".join(sentences[index].split())
        if key not in seen:
            seen.add(key)
            ranked.append(RankedSentence(index, sentences[index]))
    return Ranking(language, len(sentences), tuple(ranked), fallback)


def _sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """nupunkt's sentences, with a dateline as a sentence of its own ("FREIBURG, 14. Mai."
    would be cut inside), also cut where scraped news glued a caption to a sentence."""
    spans: list[tuple[int, int]] = []
    offset = 0
    dateline = find_dateline(text)
    if dateline is not None:
        head = text[: dateline.end].rstrip()
        start = len(head) - len(head.lstrip())
        spans.append((start, len(head)))
        offset = dateline.end
    for start, end in nlp.sentence_spans(text[offset:], language):
        start, end = start + offset, end + offset
        for cut in glued_breaks(text[start:end], language):
            spans.append((start, start + len(text[start : start + cut].rstrip())))
            start += cut
        spans.append((start, end))
    return spans


def _code(language: str) -> str:
    """An ISO 639-1 code from "en", "EN", "en-GB", "en_US" or sumy's "english"."""
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return _NAME_TO_CODE.get(code, code)
