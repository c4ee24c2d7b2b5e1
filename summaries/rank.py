"""The news ranker: position, centrality, a length budget, no repeats.

Stock graph rankers (sumy's LexRank, TextRank) lose to the first three sentences on news:
a reporter puts the story first, and the most "central" sentences are long ones from the
middle. This ranker starts from what works on news and compares words as sumy's rankers
do (sumy's stemmers and stop words, through `nlp.terms`):

    base(i)  = 1 / (p + 1) ** DECAY + CENTRALITY * c(i) / max c
    value(i) = base(i) * length(i) * caption(i) - REDUNDANCY * max sim(i, chosen)

- p is the sentence's place among the candidates. Noise ("Scroll down for video", a
  byline, a timestamp, a lone name) is no candidate, so it neither opens a summary nor
  pushes the lead down.
- c(i) is the tf-idf cosine of the sentence with the rest of the text. PacSum's directed
  centrality (similarity to later sentences minus a share of that to earlier ones; Zheng
  and Lapata, 2019) is available with `Weights(pacsum=True)`; it measured worse here.
- length(i) = min(1, LENGTH / words) * min(1, words / SHORT): a sentence longer than
  LENGTH words must earn its length, so long sentences do not win by length alone, and
  a fragment shorter than SHORT words ("That's what's up.") does not win by being all
  keyword.
- caption(i) demotes a sentence carrying a photo caption ("(pictured)", "Label: ...").
- Sentences are picked greedily, each against those already picked (maximal marginal
  relevance), so every prefix of the ranking is a summary of that length without repeats.
- A sentence that opens with a word pointing back ("He", "This", "But") is demoted by
  REFERENCE when it would open the summary, so a summary does not begin with a pronoun
  that points at nothing when a close alternative exists.

Cost: one small tf-idf matrix and its products, about 1 ms on a 600-word article.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy

from summaries import nlp
from summaries.clean import is_caption, is_noise, opens_with_reference


@dataclass(frozen=True)
class Weights:
    """The ranker's parameters; the defaults are the ones measured best (README,
    "Summary quality"), and the ones measured no better are kept switchable for the record.
    """

    position: float = 1.0
    decay: float = 0.5  # the position prior is 1 / (p + 1) ** decay
    centrality: float = 0.5  # weight of centrality against the first sentence's prior of 1
    pacsum: bool = False  # PacSum's directed centrality instead of similarity to the text
    backward: float = 0.5  # PacSum: share of similarity to earlier sentences subtracted
    threshold: float = 0.0  # PacSum's beta: similarities below min + beta*(max-min) count 0
    length: int = 30  # words a sentence may have before it pays for its length
    length_power: float = 1.0
    short: int = 12  # words below which a sentence is demoted in proportion (a fragment)
    redundancy: float = 0.3
    caption: float = 0.75
    reference: float = 0.5


DEFAULT_WEIGHTS = Weights()


def rank(
    sentences: Sequence[str],
    language: str,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    picks: int = 5,
) -> list[tuple[int, float]]:
    """Every sentence's index with a score, best first, like `nlp.rank`.

    The first `picks` are chosen greedily against each other; the rest follow by their
    own score, and noise sentences come last in article order. Scores are NaN when no
    sentence has a content word, so the caller can fall back to the lead.
    """
    count = len(sentences)
    candidates = [i for i, s in enumerate(sentences) if not is_noise(s)] or list(range(count))
    noise = sorted(set(range(count)) - set(candidates))
    tokens = [nlp.words(sentences[i]) for i in candidates]
    vectors = _tfidf([nlp.terms(words, language) for words in tokens])
    if vectors is None:
        return [(i, math.nan) for i in range(count)]
    similarity = vectors @ vectors.T
    n = len(candidates)
    position = 1.0 / (numpy.arange(n) + 1.0) ** weights.decay
    if weights.pacsum:
        centrality = _directed_centrality(similarity, weights.backward, weights.threshold)
    else:
        centrality = _text_centrality(vectors)
    top = centrality.max()
    base = weights.position * position
    if top > 0:
        base = base + weights.centrality * centrality / top
    lengths = numpy.array([max(len(words), 1) for words in tokens], float)
    base = base * numpy.minimum(1.0, weights.length / lengths) ** weights.length_power
    if weights.short:
        base = base * numpy.minimum(1.0, lengths / weights.short)
    captions = numpy.array([is_caption(sentences[i]) for i in candidates])
    base = numpy.where(captions, base * weights.caption, base)
    refers = numpy.array(
        [p > 0 and opens_with_reference(sentences[i], language) for p, i in enumerate(candidates)]
    )
    chosen = _greedy(base, similarity, refers, weights, min(picks, n))
    rest = sorted(set(range(n)) - set(chosen), key=lambda p: (-base[p], p))
    order = [(candidates[p], float(base[p])) for p in chosen + rest]
    return order + [(i, 0.0) for i in noise]


def _tfidf(term_lists: list[list[str]]) -> numpy.ndarray | None:
    """Unit-length tf-idf rows, or None when no sentence has a content word."""
    columns: dict[str, int] = {}
    rows = [[columns.setdefault(t, len(columns)) for t in terms] for terms in term_lists]
    if not columns:
        return None
    matrix = numpy.zeros((len(rows), len(columns)))
    row_of = numpy.repeat(numpy.arange(len(rows)), [len(cols) for cols in rows])
    column_of = numpy.fromiter((c for cols in rows for c in cols), dtype=numpy.intp)
    numpy.add.at(matrix, (row_of, column_of), 1.0)
    document_frequency = (matrix > 0).sum(axis=0)
    # +1: a word found in every sentence still counts a little
    matrix *= numpy.log((len(rows) + 1) / document_frequency)
    norms = numpy.sqrt((matrix * matrix).sum(axis=1))
    norms[norms == 0] = 1.0
    return matrix / norms[:, numpy.newaxis]  # type: ignore[no-any-return]


def _text_centrality(vectors: numpy.ndarray) -> numpy.ndarray:
    """Cosine of each sentence with the rest of the text (the sum of the other rows)."""
    total = vectors.sum(axis=0)
    rest = total[numpy.newaxis, :] - vectors
    norms = numpy.sqrt((rest * rest).sum(axis=1))
    norms[norms == 0] = 1.0
    return (vectors * rest).sum(axis=1) / norms  # type: ignore[no-any-return]


def _directed_centrality(
    similarity: numpy.ndarray, backward: float, threshold: float
) -> numpy.ndarray:
    n = len(similarity)
    if n < 2:
        return numpy.zeros(n)
    off = similarity[~numpy.eye(n, dtype=bool)]
    low, high = off.min(), off.max()
    edges = numpy.clip(similarity - (low + threshold * (high - low)), 0.0, None)
    numpy.fill_diagonal(edges, 0.0)
    after = numpy.triu(edges, 1).sum(axis=1)
    before = numpy.tril(edges, -1).sum(axis=1)
    return numpy.clip(after - backward * before, 0.0, None)  # type: ignore[no-any-return]


def _greedy(
    base: numpy.ndarray,
    similarity: numpy.ndarray,
    refers: numpy.ndarray,
    weights: Weights,
    picks: int,
) -> list[int]:
    chosen: list[int] = []
    overlap = numpy.zeros(len(base))
    available = numpy.ones(len(base), dtype=bool)
    for _ in range(picks):
        value = base - weights.redundancy * overlap
        # A candidate before every chosen sentence would open the summary.
        opens = numpy.arange(len(base)) < (min(chosen) if chosen else len(base))
        value = numpy.where(opens & refers, value - (1 - weights.reference) * base, value)
        value = numpy.where(available, value, -numpy.inf)
        best = int(numpy.argmax(value))
        chosen.append(best)
        available[best] = False
        overlap = numpy.maximum(overlap, similarity[best])
    return chosen
