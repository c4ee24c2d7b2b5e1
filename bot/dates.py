"""Reading the day a reader asks about: `/date WHEN` or a message that is only a date.

The only module that imports dateparser. `looks_like_date` is a cheap regex gate that runs
on every message; dateparser is reached only through `parse_when`, after that gate or for
an explicit `/date`, because it reads far more as dates than a person means ("12" becomes
the 12th of this month, "12.50" a time of day).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

ACCEPTED_FORMS = (
    "2026-02-25, 25.02.2026, Feb 25, 25 February 2026, yesterday, 3 days ago, "
    "last friday, вчера, 25 февраля 2026, gestern, 25. Februar 2026"
)
LANGUAGES = ["en", "ru", "de"]  # a fixed list: trying every language costs ~800 ms a miss

_MONTH_NAMES = (  # (English name used in replies, other spellings en/ru/de, casefolded)
    ("January", "jan january янв январь января januar jänner"),
    ("February", "feb february фев февр февраль февраля februar"),
    ("March", "mar march мар март марта märz mär mrz"),
    ("April", "apr april апр апрель апреля"),
    ("May", "may май мая mai"),
    ("June", "jun june июн июнь июня juni"),
    ("July", "jul july июл июль июля juli"),
    ("August", "aug august авг август августа"),
    ("September", "sep sept september сен сент сентябрь сентября"),
    ("October", "oct october окт октябрь октября okt oktober"),
    ("November", "nov november ноя нояб ноябрь ноября"),
    ("December", "dec december дек декабрь декабря dez dezember"),
)
_MONTHS = {name: n for n, (_, names) in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))  # longest first: "sept" before "sep"
_YEAR = r"(?:,?\s*(?P<y>\d{4})(?:\s*(?:г\.?|года?))?)?"
_NUMERIC_YMD = re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})")
_NUMERIC_DMY = re.compile(r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})(?:[./-](?P<y>\d{4}|\d{2}))?")
_NAMED_DM = re.compile(
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s*(?:of\s+)?(?P<mon>{_MON})\.?{_YEAR}"
)
_NAMED_MD = re.compile(rf"(?P<mon>{_MON})\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_YEAR}")
_EXPLICIT = (_NUMERIC_YMD, _NUMERIC_DMY, _NAMED_DM, _NAMED_MD)

_WEEKDAY = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|понедельник|вторник|среду|среда|четверг|пятницу|пятница|субботу|суббота|воскресенье"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
)
# dateparser misses "в прошлую пятницу" and "am/letzten Freitag"; with PREFER_DATES_FROM
# past a bare weekday already means the last one, so these prefixes can simply go.
_WEEKDAY_PREFIX = re.compile(
    rf"^(?:on\s+|last\s+|во?\s+|прошл\w*\s+|am\s+|letzt\w*\s+|vergangen\w*\s+)+(?=(?:{_WEEKDAY})$)"
)
_RELATIVE = re.compile(
    r"(?:the\s+)?(?:day\s+before\s+)?yesterday|today|вчера|сегодня|позавчера"
    r"|gestern|heute|vorgestern"
    r"|(?:\d{1,3}|an?|one|two|three)\s+(?:days?|weeks?)\s+ago"
    r"|(?:\d{1,3}\s+)?(?:день|дня|дней|неделю|недели|недель)\s+назад"
    r"|vor\s+(?:\d{1,3}|einem|einer)\s+(?:tag|tagen|woche|wochen)"
    rf"|(?:(?:on|last|во?|прошл\w*|am|letzt\w*|vergangen\w*)\s+)*(?:{_WEEKDAY})"
)
# Numbers without a year ("3.5", "12/1", "12.50") are too often scores, prices or times
# for a bare message to count as a date; /date still accepts them.
_BARE = (_NUMERIC_YMD, _NAMED_DM, _NAMED_MD, _RELATIVE,
         re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"))
_MAX_LEN = 40  # longer text is a sentence, not a date
_lock = threading.Lock()  # DateDataParser reorders its locale cache on every call


@dataclass(frozen=True)
class DateAnswer:
    """The day asked for, or one sentence telling the reader what was wrong."""

    day: date | None
    problem: str | None

    def __post_init__(self) -> None:
        if (self.day is None) == (self.problem is None):
            raise ValueError("exactly one of day and problem must be set")


def looks_like_date(text: str) -> bool:
    """Whether a bare message is only a date, decided without dateparser."""
    t = _normalise(text)
    return len(t) <= _MAX_LEN and any(p.fullmatch(t) for p in _BARE)


def parse_when(text: str, today: date) -> DateAnswer:
    """The calendar day `text` names, relative words counted from `today`."""
    t = _normalise(text)
    if not t:
        return DateAnswer(None, f"Which day? Send a date, for example: {ACCEPTED_FORMS}")
    shown = text.strip()
    shown = shown if len(shown) <= _MAX_LEN else shown[:_MAX_LEN] + "…"  # echo, not flood
    unread = DateAnswer(None, f"I could not read '{shown}' as a date. Try: {ACCEPTED_FORMS}")
    if len(t) > _MAX_LEN:
        return unread
    parts = _explicit_parts(t)
    if parts and (problem := _impossible(*parts)):
        return DateAnswer(None, problem)
    if parts and parts[0] is not None:
        # A full date with its year is already read and checked: skip dateparser's ~1 ms.
        return DateAnswer(_resolve(parts, today), None)
    with _lock:
        found = _parser(today).get_date_data(_WEEKDAY_PREFIX.sub("", t))
    if found.date_obj is None:
        return DateAnswer(_resolve(parts, today), None) if parts else unread
    if found.period in ("month", "year"):
        return DateAnswer(None, f"'{shown}' is not a single day. Try: {ACCEPTED_FORMS}")
    day: date = found.date_obj.date()
    if parts and parts[0] is None and day > today:
        day = _resolve(parts, today)  # a year-less date means the last one, never a future one
    return DateAnswer(day, None)


def warm_up() -> None:
    """Pay dateparser's slow first calls (imports, per-language tables) at start-up."""
    today = date.today()
    for sample in ("2026-02-25", "25.02.2026", "Feb 25", "3 weeks ago", "last friday",
                   "вчера", "25 февраля 2026", "в пятницу", "gestern", "25. Februar 2026",
                   "Feb 30", "hello world"):
        parse_when(sample, today)


@lru_cache(maxsize=2)
def _parser(today: date) -> DateDataParser:
    # Building one is cheap once dateparser's language data is loaded, but RELATIVE_BASE
    # is fixed per parser: cache one per day (two, for calls straddling midnight).
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=LANGUAGES,
        settings={
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": "DMY",
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            # no timestamps ("1700000000") or digit runs read as dates and times
            "PARSERS": ["relative-time", "custom-formats", "absolute-time"],
        },
    )


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip("?!.,;: ")


def _explicit_parts(t: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a numeric or month-name date, unchecked."""
    for pattern in _EXPLICIT:
        if m := pattern.fullmatch(t):
            groups = m.groupdict()
            month = _MONTHS[groups["mon"]] if groups.get("mon") else int(groups["m"])
            year = int(groups["y"]) if groups["y"] else None
            if year is not None and year < 100:  # strptime's %y rule, as dateparser uses
                year += 2000 if year < 69 else 1900
            return year, month, int(groups["d"])
    return None


def _impossible(year: int | None, month: int, day: int) -> str | None:
    if not 1 <= month <= 12:
        return f"There is no month {month}."
    try:
        date(year or 2000, month, day)  # 2000 was a leap year: "Feb 29" alone is fine
    except ValueError:
        where = f"{_MONTH_NAMES[month - 1][0]} {year}" if year else _MONTH_NAMES[month - 1][0]
        return f"There is no {day} {where}."
    return None


def _resolve(parts: tuple[int | None, int, int], today: date) -> date:
    """A checked explicit date; without a year, the latest one not after today."""
    year, month, day = parts
    if year is not None:
        return date(year, month, day)
    year = today.year
    while True:  # at most a few steps: only 29 February skips years
        try:
            if (found := date(year, month, day)) <= today:
                return found
        except ValueError:
            pass
        year -= 1
