"""Reading articles from files: the corpus format, plain text or Markdown, JSON Lines.

The corpus format is a line that starts with `date YYYY-MM-DD` with the article on the
same line, dateline first, paragraphs separated by blank lines; a file may hold several
such articles. Plain `.txt`/`.md` without that line take their date from the caller.
Every problem becomes an `InputError` naming the file (and line), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from summaries.errors import InputError

SUFFIXES = (".txt", ".md", ".jsonl")
MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024  # a text file is a handful of articles, not an archive
MAX_JSONL_LINE_BYTES = 2 * 1024 * 1024  # JSON Lines exports are streamed, so only lines are capped
MAX_ARTICLE_CHARS = 200_000  # a "news article" longer than this is a mistake, not a story

_DATE_LINE = re.compile(r"^[ \t\ufeff]*date[ \t]+(\S+)[ \t]*", re.MULTILINE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Draft:
    """An article as read, before cleaning and summarizing."""

    origin: str  # where it came from, for messages: "path" or "path:line"
    date: dt.date
    text: str
    title: str = ""
    url: str = ""
    source: str = ""
    language: str | None = None


def parse_date(value: str, origin: str | None = None) -> dt.date:
    """A `YYYY-MM-DD` date; impossible dates are named as such."""
    value = value.strip()
    if not _ISO_DATE.fullmatch(value):
        raise InputError(f"'{value}' is not a date in the form YYYY-MM-DD", origin)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"impossible date {value}", origin) from None


def decode_text(data: bytes, origin: str) -> str:
    """UTF-8 text, or an InputError saying why the bytes are not that."""
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text", origin)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})", origin
        ) from None


def _checked_body(text: str, origin: str) -> str:
    body = text.strip()
    if not body:
        raise InputError("empty article body", origin)
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"article too long ({len(body):,} characters; the limit is {MAX_ARTICLE_CHARS:,})",
            origin,
        )
    return body


def without_date_line(text: str) -> str:
    """The text after a leading `date YYYY-MM-DD`, or all of it when there is none."""
    match = _DATE_LINE.match(text)
    return text[match.end() :] if match else text


def parse_corpus_text(text: str, origin: str) -> Iterator[Draft | InputError]:
    """Articles of a corpus-format text; a bad one is yielded as its error, the rest go on."""
    starts = list(_DATE_LINE.finditer(text))
    if not starts or text[: starts[0].start()].strip():
        yield InputError("no date: the file must start with a line 'date YYYY-MM-DD'", origin)
        return
    many = len(starts) > 1
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        where = f"{origin}:{text.count(chr(10), 0, match.start()) + 1}" if many else origin
        try:
            day = parse_date(match.group(1), where)
            yield Draft(origin=where, date=day, text=_checked_body(text[match.end() : end], where))
        except InputError as error:
            yield error


def parse_plain_text(text: str, origin: str, date: dt.date, markdown: bool) -> Draft:
    """A text without a date line; a Markdown `# heading` on the first line is its title."""
    title = ""
    if markdown:
        first, _, rest = text.lstrip().partition("\n")
        if first.startswith("# "):
            title, text = first[2:].strip(), rest
    return Draft(origin=origin, date=date, text=_checked_body(text, origin), title=title)


def _text_field(record: dict[str, object], name: str, where: str) -> str:
    value = record.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"field '{name}' must be a string", where)
    return value


def parse_jsonl_line(line: bytes, origin: str, default_date: dt.date | None) -> Draft:
    """One JSON Lines record with fields date, title, text, url, source, language."""
    if len(line) > MAX_JSONL_LINE_BYTES:
        raise InputError(f"line too long ({len(line):,} bytes)", origin)
    decode_text(line, origin)  # names bad bytes and binary data better than the JSON parser
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error.args[0].split(':')[0]})", origin) from None
    if not isinstance(record, dict):
        raise InputError("each line must be a JSON object", origin)
    raw_date = _text_field(record, "date", origin)
    if raw_date:
        # Feeds and exports often carry a timestamp; the day is what the archive keeps.
        day = parse_date(raw_date[:10], origin)
    elif default_date is not None:
        day = default_date
    else:
        raise InputError("missing date", origin)
    language = _text_field(record, "language", origin).strip().lower() or None
    return Draft(
        origin=origin,
        date=day,
        text=_checked_body(_text_field(record, "text", origin), origin),
        title=" ".join(_text_field(record, "title", origin).split()),
        url=_text_field(record, "url", origin).strip(),
        source=_text_field(record, "source", origin).strip(),
        language=language,
    )


def read_file(path: Path, date: dt.date | None = None) -> Iterator[Draft | InputError]:
    """Every article in one file, each bad one as an InputError naming file and line."""
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield InputError(f"unsupported file type '{suffix or path.name}' (use .txt, .md or .jsonl)", origin)
        return
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, date)
            return
        size = path.stat().st_size
        if size > MAX_TEXT_FILE_BYTES:
            yield InputError(
                f"file too large ({size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_TEXT_FILE_BYTES // 1_048_576} MB)",
                origin,
            )
            return
        data = path.read_bytes()
    except OSError as error:
        yield InputError(f"cannot read ({error.strerror or error})", origin)
        return
    yield from parse_bytes(data, origin, date, markdown=suffix == ".md")


def parse_bytes(data: bytes, origin: str, date: dt.date | None = None,
                markdown: bool = False) -> Iterator[Draft | InputError]:
    """The articles of one text file's bytes (corpus format, or plain text with `date`)."""
    try:
        text = decode_text(data, origin)
    except InputError as error:
        yield error
        return
    if _DATE_LINE.match(text) or date is None:
        yield from parse_corpus_text(text, origin)
        return
    try:
        yield parse_plain_text(text, origin, date, markdown=markdown)
    except InputError as error:
        yield error


def _read_jsonl(path: Path, date: dt.date | None) -> Iterator[Draft | InputError]:
    with path.open("rb") as handle:
        head = handle.read(8192)
        if b"\x00" in head:
            yield InputError("binary file, not text", str(path))
            return
        handle.seek(0)
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield parse_jsonl_line(line, f"{path}:{number}", date)
            except InputError as error:
                yield error
