"""News-specific cleaning: datelines and agency attributions, and titles from leads.

A dateline ("BAKU, Azerbaijan, February 25.") opens most wire copy. It names the place,
so it is kept as such, but left in the text it would become a title or a summary
sentence of its own. An attribution (", Trend reports.") is the source, not the news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Month names and abbreviations of the languages the samples and wires use; they tell a
# date in a dateline apart from the start of the lead ("24. Februar." is still the date).
_MONTHS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    januar februar märz maerz mai juni juli oktober dezember
    janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
    января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    """.split()
)
_WEEKDAYS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    """.split()
)

# The city: capital letters (any script), with spaces, dots, apostrophes and hyphens
# inside, as in "ST. JOHN'S" or "RIO DE JANEIRO"; at least two letters.
_CITY = re.compile(r"[^\W\d_][^\W\d_ .'’\-]*(?:[ .'’\-]+[^\W\d_][^\W\d_ .'’\-]*)*\.?")
_DASH_END = re.compile(r"\s*(?:\((?P<agency>[^()\n]{1,60})\))?\s*(?:--|[-–—])\s+")
_AGENCY_END = re.compile(r"\s*\((?P<agency>[^()\n]{1,60})\)\s*(?:[-–—:]\s*)?")
_DOT_END = re.compile(r"[.:]\s+")
_WORD = re.compile(r"[^\W\d_]+")
_WINDOW = 160  # a dateline longer than this is not a dateline

# ", Trend reports." / ", the Harbor Daily reports." and the German and Russian forms,
# at the end of a sentence; the name must look like a name so prose is left alone.
_SENTENCE_END = r"(?=[.!]\s|[.!]$)"
_ATTRIBUTIONS = (
    re.compile(r",\s+(?:the\s+)?(?P<agency>[A-Z][\w&'’.\- ]{0,40}?)\s+"
               r"(?:reports|reported|writes|informs)" + _SENTENCE_END),
    re.compile(r",\s+(?:berichtet|meldet|schreibt)\s+(?:(?:die|der|das)\s+)?"
               r"(?P<agency>[A-ZÄÖÜ][\w&'’.\- ]{0,40}?)" + _SENTENCE_END),
    re.compile(r",\s+(?:сообщает|сообщают|пишет|передаёт|передает)\s+"
               r"(?P<agency>«[^»\n]{1,40}»|[А-ЯЁ][\w\- ]{0,40}?)" + _SENTENCE_END),
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """What a dateline held: the place and, when it named one, the agency."""

    place: str
    agency: str
    end: int  # index in the text where the article proper starts


def _is_upper_city(city: str) -> bool:
    letters = [c for c in city if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_date_part(part: str) -> bool:
    words = {w.casefold() for w in _WORD.findall(part)}
    return bool(re.search(r"\d", part)) or bool(words & (_MONTHS | _WEEKDAYS))


def find_dateline(text: str) -> Dateline | None:
    """The dateline that opens `text`, or None when it opens with the story itself."""
    start = len(text) - len(text.lstrip())
    city = _CITY.match(text, start)
    if not city or not _is_upper_city(city.group()):
        return None
    window = text[: start + _WINDOW]
    pos = city.end()
    # After the city: ", Region", ", February 25", "(Agency)" in some order, then the end
    # mark: a dash, a colon, or a full stop after a date ("24. Februar." is one date).
    for match in re.finditer(r"[.:\-–—(]", window[pos:]):
        end = pos + match.start()
        head = window[start:end]
        if "\n" in head:
            return None
        for pattern in (_DASH_END, _AGENCY_END, _DOT_END):
            found = pattern.match(window, end)
            if not found:
                continue
            if pattern is _DOT_END and not _dot_ends_dateline(head, window[found.end() :]):
                break
            agency = (found.groupdict().get("agency") or "").strip()
            return Dateline(place=_place_of(head), agency=agency, end=found.end())
    return None


def _dot_ends_dateline(head: str, after: str) -> bool:
    """A full stop ends the dateline only after a date and before something not a month."""
    parts = [p.strip() for p in head.split(",")]
    if len(parts) < 2 or not _is_date_part(parts[-1]):
        return False
    nxt = _WORD.match(after)
    return not (nxt and nxt.group().casefold() in _MONTHS) and not after[:1].isdigit()


def _place_of(head: str) -> str:
    parts = [p.strip() for p in head.split(",")]
    kept = [p for p in parts if p and not _is_date_part(p)]
    return ", ".join(kept)


def strip_dateline(text: str) -> tuple[str, Dateline | None]:
    """The text without its dateline, and the dateline found (None when there is none)."""
    dateline = find_dateline(text)
    if dateline is None:
        return text.strip(), None
    return text[dateline.end :].strip(), dateline


def strip_attribution(paragraph: str) -> tuple[str, str]:
    """Remove a wire attribution (", Trend reports.") from the lead; return text, agency."""
    for pattern in _ATTRIBUTIONS:
        match = pattern.search(paragraph)
        if match is not None:
            agency = match.group("agency").strip().strip("«»")
            return paragraph[: match.start()] + paragraph[match.end() :], agency
    return paragraph, ""


def derive_title(lead: str, limit: int = 90) -> str:
    """A title from the lead sentence, cut at a word boundary when it is long."""
    lead = " ".join(lead.split())
    if len(lead) <= limit:
        return lead.rstrip(" .")
    cut = lead[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"
