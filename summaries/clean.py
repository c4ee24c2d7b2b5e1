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


# --- Sentence-level news noise, for the ranker ---------------------------------------
#
# The ranker does not rewrite text (a summary sentence stays a slice of the article); it
# asks these questions of each candidate sentence instead and drops or demotes it.

# Web furniture and bylines that come out of scraped news as sentences of their own.
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        scroll\s+down\b | click\s+here\b | read\s+more\b | see\s+also\b | watch\s+the\s+video\b
      | share\s+this\b | follow\s+(?:us|@) | sign\s+up\b | subscribe\b | advertisement\b
      | (?:published|updated|last\s+updated|posted)\s*: | by\s+\.\s
      | by\s+(?:[A-Z][\w'’\-]+\s+){1,3}(?:and\s+[A-Z][\w'’\-]+\s+[A-Z][\w'’\-]+\s+)?(?:for|\|)\s
      | (?:photo|picture|image|video|source)s?\s*: | \d{1,2}:\d{2}\s*(?:[ap]\.?m\.?\b|gmt|bst|est|utc|edt|cet)
      | date\s+\d{4}-\d{2}-\d{2}\b | lesen\s+sie\s+auch\b | mehr\s+zum\s+thema\b | читайте\s+также\b | фото\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A timestamp line such as "PUBLISHED: 10:31 EST, 3 May 2014 | UPDATED: ..."
_TIMESTAMP = re.compile(r"\b\d{1,2}:\d{2}\s*(?:GMT|BST|EST|EDT|UTC|CET|[AP]M)\b.*\|", re.IGNORECASE)

# A photo caption glued into the text: "(pictured)", "(left)", "(file photo of ...)" or a
# "Label: Name ..." opening (and, see glued_breaks, two sentences joined without a stop).
_CAPTION = re.compile(
    r"""\((?:pictured|picture[sd]?|above|below|left|right|centre|center|top|bottom|inset|
           file\s+photo|file\s+picture|stock\s+image|pictured\s+[^)]{0,40}|[^)]{0,30}\s+pictured)\)
      | ^[A-Z][\w'’\-]*(?:\s[\w'’\-]+)?:\s+[A-Z]""",
    re.VERBOSE,
)

# Words that send the reader back to an earlier sentence when they open one.
_BACK_REFERENCES: dict[str, frozenset[str]] = {
    "en": frozenset(
        "he she it they him them his her its their this these those that such but however "
        "and also meanwhile then there's thus".split()
    ),
    "de": frozenset(
        "er sie es ihm ihn ihr ihre sein seine dies diese dieser dieses aber doch jedoch "
        "dort damit dabei deshalb auch".split()
    ),
    "ru": frozenset(
        "он она оно они его её ее их ему ей им это этот эта эти тот та те но однако также "
        "тогда поэтому там".split()
    ),
}
_FIRST_WORD = re.compile(r"^\W*([^\W\d_]+(?:['’][^\W\d_]+)?)")
_LETTERS = re.compile(r"[^\W\d_]+")


def is_noise(sentence: str) -> bool:
    """True for a sentence that is no news: web furniture, a byline, a timestamp, or a
    fragment that is only a quote mark, a number or a name ("Smith." or "'")."""
    if _BOILERPLATE.match(sentence) or _TIMESTAMP.search(sentence):
        return True
    words = _LETTERS.findall(sentence)
    if len(words) < 3:
        return True
    # A name or a heading: a few words, every one capitalised, no verb-like lowercase word.
    return len(words) <= 4 and all(w[0].isupper() for w in words)


def is_caption(sentence: str) -> bool:
    """True for a sentence that carries a photo caption or a glued-in fragment."""
    return _CAPTION.search(sentence) is not None or bool(glued_breaks(sentence))


def opens_with_reference(sentence: str, language: str = "en") -> bool:
    """True when the sentence opens with a word that points back ("He", "Sie", "Это")."""
    match = _FIRST_WORD.match(sentence)
    if match is None:
        return False
    return match.group(1).casefold().replace("’", "'") in _BACK_REFERENCES.get(language, ())


# Where a caption or a subheading lost its full stop and runs into the next sentence:
# a lower-case word, then a capitalised word that opens English sentences, then a
# lower-case word ("... at the hospital He is listed ..."). Capitalised words before the
# break are names ("Nurse A with"), so they do not count.
_GLUE = re.compile(
    r"\b[a-z][a-z0-9'’]*[a-z0-9] +(?=(?:He|She|They|It|The|A|An|His|Her|Their|This|"
    r"These|In|On|At|But|Mr|Mrs|Ms|Pictured|Police|Officials) [a-z])"
)
_MIN_PIECE_WORDS = 4


def glued_breaks(sentence: str, language: str = "en") -> list[int]:
    """Offsets in `sentence` where a second sentence starts without a full stop before it.

    Scraped news glues photo captions into the text; cutting there lets the caption be
    told apart from the sentence it was glued to. Only English is recognised.
    """
    if language != "en":
        return []
    breaks, last = [], 0
    for match in _GLUE.finditer(sentence):
        if len(sentence[last : match.end()].split()) >= _MIN_PIECE_WORDS:
            breaks.append(match.end())
            last = match.end()
    if breaks and len(sentence[breaks[-1] :].split()) < _MIN_PIECE_WORDS:
        breaks.pop()
    return breaks
