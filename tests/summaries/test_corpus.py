from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest

from summaries.corpus import Draft, read_file
from summaries.errors import InputError


def _read(path: Path, date: dt.date | None = None) -> tuple[list[Draft], list[InputError]]:
    items = list(read_file(path, date))
    return (
        [i for i in items if isinstance(i, Draft)],
        [i for i in items if isinstance(i, InputError)],
    )


def test_seed_article_parses(seed_file: Path) -> None:
    drafts, errors = _read(seed_file)
    assert not errors
    assert len(drafts) == 1
    assert drafts[0].date == dt.date(2026, 2, 25)
    assert drafts[0].text.startswith("BAKU, Azerbaijan")
    assert "\n\n" in drafts[0].text


def test_several_articles_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text("date 2026-02-24 One. Body.\n\ndate 2026-02-30 Two.\ndate 2026-02-25 Three.\n")
    drafts, errors = _read(path)
    assert [d.date.day for d in drafts] == [24, 25]
    assert [str(e) for e in errors] == [f"{path}:3: impossible date 2026-02-30"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"date 2026-02-30 Text.", "impossible date 2026-02-30"),
        (b"date 26-02-2026 Text.", "'26-02-2026' is not a date in the form YYYY-MM-DD"),
        (b"Just text without a date.", "no date: the file must start with a line 'date YYYY-MM-DD'"),
        (b"date 2026-02-25   \n\n  ", "empty article body"),
        (b"date 2026-02-25 caf\xe9 au lait", "not UTF-8 text (byte 0xe9 at offset 19)"),
        (b"\x7fELF\x02\x01\x00\x00binary", "binary file, not text"),
    ],
)
def test_bad_text_files_are_named_with_the_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    drafts, errors = _read(path)
    assert not drafts
    assert [str(e) for e in errors] == [f"{path}: {reason}"]


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _, errors = _read(path)
    assert [e.reason for e in errors] == ["file too large (50.0 MB; the limit is 10 MB)"]


def test_plain_text_takes_the_given_date_and_markdown_title(tmp_path: Path) -> None:
    plain = tmp_path / "note.txt"
    plain.write_text("A plain story. It has two sentences.")
    markdown = tmp_path / "note.md"
    markdown.write_text("# The headline\n\nThe story itself.")
    day = dt.date(2026, 1, 5)
    (p,), _ = _read(plain, day)
    (m,), _ = _read(markdown, day)
    assert (p.date, p.title, p.text) == (day, "", "A plain story. It has two sentences.")
    assert (m.date, m.title, m.text) == (day, "The headline", "The story itself.")


def test_jsonl_records_and_their_errors(tmp_path: Path) -> None:
    good = {"date": "2026-02-25T10:00:00Z", "title": " A  title ", "text": "Body.", "url": "https://x.test/a",
            "source": "X", "language": "EN"}
    lines = [orjson.dumps(good), b"", b"{not json", orjson.dumps({"text": "no date"}),
             orjson.dumps([1, 2]), orjson.dumps({"date": "2026-02-25", "text": 5})]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    drafts, errors = _read(path)
    assert len(drafts) == 1
    assert (drafts[0].title, drafts[0].language, drafts[0].date) == ("A title", "en", dt.date(2026, 2, 25))
    assert [(e.source, e.reason.split(" (")[0]) for e in errors] == [
        (f"{path}:3", "not valid JSON"),
        (f"{path}:4", "missing date"),
        (f"{path}:5", "each line must be a JSON object"),
        (f"{path}:6", "field 'text' must be a string"),
    ]


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG")
    _, errors = _read(path)
    assert errors[0].reason.startswith("unsupported file type '.png'")
