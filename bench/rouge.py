"""Summary-quality benchmark: the project's summarizer against Lead-3 and stock sumy rankers.

    .venv/bin/python bench/rouge.py                          # both development sets
    .venv/bin/python bench/rouge.py ../shared/bench/cnndm-dev.jsonl
    .venv/bin/python bench/rouge.py bench/multilingual/ru.jsonl --language ru
    .venv/bin/python bench/rouge.py DATA.jsonl --half 1      # the second half only

Each file is JSON Lines: {"id", "text", "reference", ...} (extra keys are ignored).
Every system gets 3 sentences. Scores are ROUGE-1/2/L F1 x 100 from the `rouge-score`
package with stemming (English: its own tokenizer and Porter stemmer; other languages:
words of any script and the Snowball stemmer, since rouge-score's tokenizer keeps only
a-z and 0-9). Also printed: words per summary, milliseconds per article (the summarizer
only, sentence splitting for all and language detection for newsbot included; each system
first summarizes WARM_UP articles untimed, so models are loaded and caches warm as in a
long ingest) and a bootstrap 95% interval for ROUGE-2.

The benchmark data is read where it lies (by default ../shared/bench/, next to the
repository); article text is never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summaries import nlp
from summaries.summarize import DEFAULT_ALGORITHM, split_sentences, summarize

DEFAULT_DATA = [ROOT.parent / "shared" / "bench" / f"{name}-dev.jsonl" for name in ("cnndm", "bbc")]
BUDGET = 3
BOOTSTRAP_SAMPLES = 1000
WARM_UP = 5  # articles summarized, untimed, before each system is timed
SNOWBALL = {"de": "german", "ru": "russian", "fr": "french", "es": "spanish"}

System = Callable[[str, str | None], list[str]]


def stock(algorithm: str) -> System:
    """A sumy ranker as shipped (through the project's offline tokenizer): best 3 in order."""

    def run(text: str, language: str | None) -> list[str]:
        code = language or "en"
        sentences = split_sentences(text, code)
        if len(sentences) <= BUDGET:
            return sentences
        best = [index for index, _ in nlp.rank(sentences, code, algorithm)[:BUDGET]]
        return [sentences[i] for i in sorted(best)]

    return run


def lead(text: str, language: str | None) -> list[str]:
    return split_sentences(text, language or "en")[:BUDGET]


def project(algorithm: str) -> System:
    def run(text: str, language: str | None) -> list[str]:
        return summarize(text, BUDGET, language, algorithm=algorithm)

    return run


SYSTEMS: dict[str, System] = {
    f"newsbot ({DEFAULT_ALGORITHM})": project(DEFAULT_ALGORITHM),
    "Lead-3": lead,
    "sumy LexRank": stock("lexrank"),
    "sumy TextRank": stock("textrank"),
    "sumy LSA": stock("lsa"),
    "sumy Luhn": stock("luhn"),
}


class _Tokenizer:
    """Words of any script, lower-cased and Snowball-stemmed, for non-English ROUGE."""

    def __init__(self, language: str) -> None:
        from nltk.stem.snowball import SnowballStemmer

        self._stem = SnowballStemmer(SNOWBALL[language]).stem

    def tokenize(self, text: str) -> list[str]:
        return [self._stem(w) for w in re.findall(r"\w+", text.lower())]


def scorer(language: str | None) -> Any:
    from rouge_score import rouge_scorer

    types = ["rouge1", "rouge2", "rougeL"]
    if language in SNOWBALL:
        return rouge_scorer.RougeScorer(types, tokenizer=_Tokenizer(language))
    return rouge_scorer.RougeScorer(types, use_stemmer=True)


def load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise SystemExit(
            f"{path}: no such file. The development sets (cnndm-dev.jsonl, bbc-dev.jsonl) "
            "live in ../shared/bench/ next to the repository; see its README for their "
            "origin (CNN/Daily Mail test articles via the FRANK benchmark, and the Kaggle "
            "'BBC News Summary' dataset). Pass another JSON Lines file with 'text' and "
            "'reference' keys to score that instead."
        )
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(
    rows: Sequence[dict[str, Any]], system: System, language: str | None, rouge: Any
) -> dict[str, Any]:
    """Mean scores of one system on rows, with per-article ROUGE-2 for the interval."""
    r1, r2, rl, words, seconds = [], [], [], [], 0.0
    for row in rows[:WARM_UP]:
        system(row["text"], language)  # caches filled, as in a long-running ingest
    for row in rows:
        start = time.perf_counter()
        summary = system(row["text"], language)
        seconds += time.perf_counter() - start
        joined = " ".join(" ".join(summary).split())
        scores = rouge.score(row["reference"], joined)
        r1.append(scores["rouge1"].fmeasure)
        r2.append(scores["rouge2"].fmeasure)
        rl.append(scores["rougeL"].fmeasure)
        words.append(len(joined.split()))
    return {
        "r1": 100 * statistics.fmean(r1),
        "r2": 100 * statistics.fmean(r2),
        "rl": 100 * statistics.fmean(rl),
        "words": statistics.fmean(words),
        "ms": 1000 * seconds / len(rows),
        "ci": bootstrap(r2),
    }


def bootstrap(values: Sequence[float], samples: int = BOOTSTRAP_SAMPLES) -> tuple[float, float]:
    """A percentile bootstrap 95% interval of the mean, x 100 (fixed seed: reproducible)."""
    rng = random.Random(0)
    n = len(values)
    means = sorted(
        statistics.fmean(values[rng.randrange(n)] for _ in range(n)) for _ in range(samples)
    )
    return 100 * means[int(0.025 * samples)], 100 * means[int(0.975 * samples) - 1]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="*", type=Path, help="JSON Lines files (default: both dev sets)")
    parser.add_argument("--language", help="ISO 639-1 code of the texts (default: detect)")
    parser.add_argument("--half", type=int, choices=(0, 1), help="score only the even (0) or odd (1) articles")
    parser.add_argument("--systems", help="comma-separated names to run (default: all)")
    args = parser.parse_args(argv)
    wanted = {s.strip().casefold() for s in args.systems.split(",")} if args.systems else None
    for path in args.data or DEFAULT_DATA:
        rows = load(path)
        if args.half is not None:
            rows = rows[args.half :: 2]
        rouge = scorer(args.language)
        print(f"\n{path.name}: {len(rows)} articles, {BUDGET} sentences per summary")
        print("| system | R-1 | R-2 | R-L | words | ms/article | R-2 95% CI |")
        print("|---|---|---|---|---|---|---|")
        for name, system in SYSTEMS.items():
            if wanted and not any(w in name.casefold() for w in wanted):
                continue
            m = evaluate(rows, system, args.language, rouge)
            low, high = m["ci"]
            print(
                f"| {name} | {m['r1']:.1f} | {m['r2']:.1f} | {m['rl']:.1f} | "
                f"{m['words']:.0f} | {m['ms']:.1f} | {low:.1f}-{high:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
