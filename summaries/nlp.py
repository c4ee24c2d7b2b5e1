"""The one module that talks to sumy, NLTK and nupunkt: sentence splitting and sumy ranking.

Fully offline. sumy's stock `Tokenizer` asks NLTK for `punkt_tab`, which is downloaded at
run time from a host these machines cannot reach; `OfflineTokenizer` replaces both of its
tokenizers with ones that need no data (nupunkt for sentences, a compiled regex for words).

sumy and NLTK cost about 0.6 s to import, so they are imported on first use, never when
`summaries` is imported; nupunkt (40 ms) is imported on the first split.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sumy.nlp.tokenizers import Tokenizer

# ISO 639-1 code -> sumy language name: the languages for which sumy ships both a stemmer
# and stop words that work with what is installed, plus Russian (sumy has its stemmer but no
# stop words; ours are below). Left out on purpose: Arabic, Hebrew, Chinese, Japanese,
# Korean and Thai need word segmenters that are not installed (and sumy's Hebrew and CJK
# "stemmers" are only lower-casing); Polish and Greek need stemmer packages that are not
# installed (`pystempel`, `greek-stemmer-pos`).
SUMY_LANGUAGES: Mapping[str, str] = {
    "cs": "czech",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "it": "italian",
    "pt": "portuguese",
    "ru": "russian",
    "sk": "slovak",
    "sv": "swedish",
    "uk": "ukrainian",
}

# The sumy rankers offered, best default first. Left out: KL-Sum and LSA, the two worst on
# both benchmark sets and the slowest (33 ms and 5 ms per article; 33 s and 2.6 s at the
# 300-sentence bound, which would stall ingest); Edmundson needs hand-made cue word lists.
SUMY_ALGORITHMS: tuple[str, ...] = ("lexrank", "textrank", "luhn", "sumbasic")

_SUMY_CLASSES: Mapping[str, tuple[str, str]] = {
    "textrank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "sumbasic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    # Not offered to the config (see SUMY_ALGORITHMS); kept for the quality benchmark.
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
}

# sumy has no Russian stop words. The most frequent Russian function words (pronouns,
# prepositions, conjunctions, particles, forms of "быть"), enough to keep them out of the
# similarity measures; the stemmer does the rest.
RUSSIAN_STOP_WORDS = frozenset(
    """
    а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да
    даже для до его ее её ей ему если есть еще ещё же за здесь и из или им их к как какой
    когда кто ли либо мне много может можно мы на над надо нас наш не него нее неё нет ни
    них но ну о об однако он она они оно от очень по под после потому при про раз с сам
    свой себя со так также такой там те тем то того тоже только том ты у уже хотя чего чей
    чем что чтобы эта эти это этого этой этом этот я будет будут которая которые
    который которых этих всё между через перед пока лишь ведь
    """.split()
)

# A word is a run of letters, optionally joined by an apostrophe or hyphen ("don't",
# "well-known"); numbers and punctuation are dropped, as sumy's own `_is_word` filter
# does. About 20x cheaper than NLTKWordTokenizer and good enough for ranking.
_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")

# nupunkt's model is trained on English (Latin-script) text and never splits at CJK full
# stops or at the Greek question mark (";" or U+037E), so those are split afterwards.
_CJK_END = re.compile(r"[。！？]+")
_GREEK_END = re.compile(r"[;\u037e](?=\s)")

# Stems are memoised per language: Snowball stemming costs microseconds per word and news
# text repeats its vocabulary, across sentences and across articles.
_STEM_CACHE_SIZE = 200_000


def sentence_spans(text: str, language: str = "en") -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, in order; `text[start:end]` has no outer space."""
    import nupunkt

    spans: list[tuple[int, int]] = nupunkt.sentence_spans(text)
    extra = _GREEK_END if language == "el" else None
    if not _CJK_END.search(text) and extra is None:
        return spans
    return [piece for span in spans for piece in _subsplit(text, span, extra)]


def _subsplit(
    text: str, span: tuple[int, int], extra: re.Pattern[str] | None
) -> Iterable[tuple[int, int]]:
    start, end = span
    cuts = [m.end() for m in _CJK_END.finditer(text, start, end)]
    if extra is not None:
        cuts += [m.end() for m in extra.finditer(text, start, end)]
    for cut in sorted(cuts) + [end]:
        piece = _tight(text, start, cut)
        if piece is not None:
            yield piece
        start = cut


def _tight(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def words(sentence: str) -> list[str]:
    """The words of a sentence, as sumy's summarizers see them."""
    return _WORD.findall(sentence.replace("\u2019", "'"))


def terms(sentence_words: Iterable[str], language: str) -> list[str]:
    """Content words as sumy's rankers compare them: the `words()` of a sentence
    lower-cased, stop words dropped, stemmed with sumy's (Snowball) stemmer for `language`."""
    stem, stop = _stemmer(language), stop_words(language)
    return [stem(w) for w in map(str.lower, sentence_words) if w not in stop]


def rank(sentences: Sequence[str], language: str, algorithm: str) -> list[tuple[int, float]]:
    """Every sentence's index with its score, best first, ties in article order.

    `language` is a key of SUMY_LANGUAGES and `algorithm` one of SUMY_ALGORITHMS. sumy's
    errors propagate. Scores may be NaN (LexRank when no sentence has a content word that
    tells sentences apart, e.g. only stop words or numbers); the caller decides what then.
    """
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    if not sentences:
        return []
    tokenizer = _tokenizer(language)
    document = ObjectDocumentModel(
        [Paragraph([Sentence(text, tokenizer) for text in sentences])]
    )
    order: list[tuple[int, float]] = []

    def capture(infos: list[Any]) -> list[Any]:
        # sumy's `_get_best_sentences` accepts a callable count and calls it with every
        # sentence sorted best first (a stable sort, so ties keep article order): that
        # gives the full ranking, which the usual integer count would throw away.
        order.extend((info.order, float(info.rating)) for info in infos)
        return infos

    _summarizer(language, algorithm)(document, capture)
    return order


@functools.cache
def _tokenizer(language: str) -> Tokenizer:
    return _offline_tokenizer_class()(SUMY_LANGUAGES[language])


@functools.cache
def _offline_tokenizer_class() -> type[Tokenizer]:
    # Built on first use so that importing this module does not import sumy and NLTK.
    from sumy.nlp.tokenizers import Tokenizer

    class OfflineTokenizer(Tokenizer):  # type: ignore[misc]
        """sumy's Tokenizer with data-free sentence and word tokenizers."""

        def _get_sentence_tokenizer(self, language: str) -> _SentenceTokenizer:
            code = {name: code for code, name in SUMY_LANGUAGES.items()}.get(language, "en")
            return _SentenceTokenizer(code)

        def _get_word_tokenizer(self, language: str) -> _WordTokenizer:
            return _WordTokenizer()

        def to_sentences(self, paragraph: str) -> tuple[str, ...]:
            # sumy's version would add its abbreviations to nupunkt's shared, cached model.
            return tuple(self._sentence_tokenizer.tokenize(paragraph))

        def to_words(self, sentence: str) -> tuple[str, ...]:
            # The regex yields only words already, so sumy's per-token filter is skipped.
            return tuple(words(sentence))

    return OfflineTokenizer


class _SentenceTokenizer:
    def __init__(self, language: str) -> None:
        self._language = language

    def tokenize(self, text: str) -> list[str]:
        return [text[start:end] for start, end in sentence_spans(text, self._language)]


class _WordTokenizer:
    @staticmethod
    def tokenize(text: str) -> list[str]:
        return words(text)


@functools.cache
def _summarizer(language: str, algorithm: str) -> Callable[..., Any]:
    if algorithm == "lexrank":
        cls = _fast_lexrank_class()
    else:
        module_name, class_name = _SUMY_CLASSES[algorithm]
        cls = getattr(importlib.import_module(module_name), class_name)
    summarizer = cls(_stemmer(language))
    summarizer.stop_words = stop_words(language)
    return summarizer  # type: ignore[no-any-return]


@functools.cache
def _stemmer(language: str) -> Callable[[str], str]:
    from sumy.nlp.stemmers import Stemmer

    return functools.lru_cache(maxsize=_STEM_CACHE_SIZE)(Stemmer(SUMY_LANGUAGES[language]))


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """sumy's stop words for a supported language (ours for Russian)."""
    if language == "ru":
        return RUSSIAN_STOP_WORDS
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words(SUMY_LANGUAGES[language]))


@functools.cache
def _fast_lexrank_class() -> type[Any]:
    """sumy's LexRank with its similarity matrix built by numpy.

    sumy compares every pair of sentences in Python (9 ms on a 600-word article, most of
    the cost); the same idf-modified cosine as a matrix product takes a fraction of that.
    Same words, threshold, normalisation and power method, so the same ranking up to float
    rounding (identical on all 350 benchmark articles).
    """
    import numpy
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class FastLexRankSummarizer(LexRankSummarizer):  # type: ignore[misc]
        def _to_words_set(self, sentence: Any) -> list[str]:
            # sumy lower-cases every word twice through two method calls; once is the
            # same result for a third of the cost.
            stem, stop = self._stemmer, self._stop_words
            return [stem(word) for word in map(str.lower, sentence.words) if word not in stop]

        @staticmethod
        def _compute_idf(sentences: list[list[str]]) -> dict[str, float]:
            count = len(sentences)
            containing: dict[str, int] = {}
            for sentence in sentences:
                for term in set(sentence):
                    containing[term] = containing.get(term, 0) + 1
            return {term: math.log(count / (1 + n)) for term, n in containing.items()}

        def _create_matrix(
            self,
            sentences: list[list[str]],
            threshold: float,
            tf_metrics: list[dict[str, float]],
            idf_metrics: dict[str, float],
        ) -> Any:
            column = {term: i for i, term in enumerate(idf_metrics)}
            vectors = numpy.zeros((len(sentences), len(column)))
            for row, tf in enumerate(tf_metrics):
                for term, value in tf.items():
                    vectors[row, column[term]] = value * idf_metrics[term]
            norms = numpy.sqrt((vectors * vectors).sum(axis=1))
            # sumy counts a pair as unrelated when either sentence has a zero norm
            safe = numpy.where(norms > 0, norms, 1.0)
            cosine = (vectors @ vectors.T) / numpy.outer(safe, safe)
            cosine[norms == 0, :] = 0.0
            cosine[:, norms == 0] = 0.0
            matrix = (cosine > threshold).astype(float)
            degrees = matrix.sum(axis=1)
            degrees[degrees == 0] = 1
            return matrix / degrees[:, numpy.newaxis]

        @staticmethod
        def power_method(matrix: Any, epsilon: float) -> Any:
            # An all-zero matrix (no content words) yields NaN scores, which the caller
            # handles; numpy's "invalid value" warning about it is noise.
            with numpy.errstate(invalid="ignore", divide="ignore"):
                return LexRankSummarizer.power_method(matrix, epsilon)

    return FastLexRankSummarizer
