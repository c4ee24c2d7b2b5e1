"""Language identification: the one module that imports py3langid."""

from __future__ import annotations

import functools
import re
from typing import Any

# Enough text for a confident guess on news prose; classifying a whole article costs about
# twice as much and never changed the answer on the benchmark sets.
SAMPLE_CHARS = 1_000

# With normalised probabilities, real prose of a sentence or more scores above 0.9; a name,
# a number or a single word scores far below and gets no answer rather than a wild guess.
MIN_CONFIDENCE = 0.5

# Fewer letters than this is not worth asking about ("OK", "12:30").
MIN_LETTERS = 3

# Stops at the MIN_LETTERS-th letter instead of counting them all.
_ENOUGH_LETTERS = re.compile(r"[^\W\d_](?:[\W\d_]*[^\W\d_]){%d}" % (MIN_LETTERS - 1))

# py3langid's labels that are not languages: "zxx" means "no linguistic content".
_NOT_LANGUAGES = frozenset({"zxx", "und"})


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language of `text`, or None when too short or unsure.

    Only the first SAMPLE_CHARS characters are read, so the cost does not grow with the text.
    """
    sample = text[:SAMPLE_CHARS]
    if not _ENOUGH_LETTERS.search(sample):
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or code in _NOT_LANGUAGES:
        return None
    return str(code)


@functools.cache
def _identifier() -> Any:
    # Loading the model takes most of a second, so it happens on the first call instead of
    # at import time.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
