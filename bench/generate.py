"""Generated news-like articles for benchmarks: deterministic, ~600 words, a dateline each.

The words are a fixed English vocabulary arranged in sentence shapes that news copy
uses (numbers, quotes, abbreviations), so sentence splitting, language detection and
ranking do the same work as on real articles. Nothing here is real text.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import orjson

CITIES = ["RIVERTON", "LAKESIDE", "NORTH BAY", "GRANITE FALLS", "PORT ELLIS", "MAPLETON", "ST. ANSEL"]
REGIONS = ["Oregon", "Ontario", "Victoria", "Wales", "Nova Scotia", "Tasmania"]
SUBJECTS = ["The city council", "Regional officials", "The transport agency", "Local farmers",
            "A group of researchers", "The hospital board", "Union leaders", "The mayor's office",
            "Residents of the valley", "The water utility", "Company executives", "The school district"]
VERBS = ["approved", "rejected", "announced", "postponed", "reviewed", "criticized", "funded",
         "proposed", "delayed", "expanded", "questioned", "welcomed"]
OBJECTS = ["a plan to rebuild the harbor bridge", "new rules for short-term rentals",
           "a budget for road repairs", "the merger of two bus lines", "a study of river pollution",
           "higher fees for parking permits", "a pilot program for solar roofs",
           "the closure of the old paper mill", "a vaccination drive for the winter",
           "a contract for a new fire station", "changes to the ferry timetable",
           "a grant for the public library"]
DETAILS = ["after a debate that lasted until 11 p.m.", "by a vote of 7 to 2",
           "despite objections from the U.S. partner firm", "at a meeting on Tuesday",
           "weeks after Dr. Hale warned of rising costs", "as prices rose 3.5 percent",
           "following a review by the state auditor", "with support from neighboring towns"]
QUOTES = ["We have waited long enough for this", "The numbers simply do not add up",
          "This is a good day for the people who live here", "Nobody asked the families affected",
          "We will keep a close eye on the costs", "It is a first step, not the last one"]
PEOPLE = ["Mayor Ellen Park", "Councillor Omar Reyes", "Prof. Ada Lindqvist", "Dr. Samuel Hale",
          "spokeswoman Ines Moreau", "analyst Peter Walsh"]


def _sentence(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.55:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(DETAILS)}."
    if shape < 0.8:
        return f"\"{rng.choice(QUOTES)},\" said {rng.choice(PEOPLE)}."
    amount = rng.randint(2, 950)
    return (f"The project would cost about {amount}.{rng.randint(0, 9)} million dollars, "
            f"according to figures released on Feb. {rng.randint(1, 28)}.")


def article_text(rng: random.Random, day: dt.date, words: int = 600) -> str:
    """One article body: dateline, then paragraphs of 3 to 5 sentences, about `words` long."""
    dateline = f"{rng.choice(CITIES)}, {rng.choice(REGIONS)}, {day:%B} {day.day}. "
    paragraphs: list[str] = []
    count = 0
    while count < words:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 5)))
        count += len(paragraph.split())
        paragraphs.append(paragraph)
    return dateline + "\n\n".join(paragraphs)


def articles(total: int, *, days: int = 730, seed: int = 7, start: dt.date = dt.date(2024, 3, 1)
             ) -> Iterator[dict[str, str]]:
    """`total` JSON Lines records, in date order, spread evenly over `days` days."""
    rng = random.Random(seed)
    for index in range(total):
        day = start + dt.timedelta(days=index * days // total)
        yield {"date": day.isoformat(), "text": article_text(rng, day), "source": "Bench Wire"}


def write_corpus(folder: Path, total: int) -> list[Path]:
    """Write the records as one JSON Lines file per month; return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    handles = {}
    try:
        for record in articles(total):
            month = record["date"][:7]
            if month not in handles:
                files[month] = folder / f"{month}.jsonl"
                handles[month] = files[month].open("wb")
            handles[month].write(orjson.dumps(record) + b"\n")
    finally:
        for handle in handles.values():
            handle.close()
    return list(files.values())
