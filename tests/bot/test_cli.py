from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from summaries.store import Store
from tests.conftest import SAMPLES

def test_ingest_then_articles_of_the_newest_day(newsbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = str(tmp_path / "data")
    code, out, err = newsbot("ingest", "--data", data, str(SAMPLES))
    assert code == 0, err
    added = int(out.split()[1].rstrip(","))
    assert added >= 12 and out.strip().endswith("already present 0, rejected 0")
    code, out, _ = newsbot("ingest", "--data", data, str(SAMPLES))
    assert (code, out.strip()) == (0, f"added 0, already present {added}, rejected 0")
    code, out, _ = newsbot("articles", "--data", data)
    assert code == 0
    assert out.startswith("Wednesday, 25 February 2026 — ")
    assert "\n1. " in out


def test_articles_for_a_day_and_summary_length(newsbot, seed_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = str(tmp_path / "data")
    assert newsbot("ingest", "--data", data, str(seed_file))[0] == 0
    code, one, _ = newsbot("articles", "2026-02-25", "--data", data, "--sentences", "1")
    code5, five, _ = newsbot("articles", "2026-02-25", "--data", data, "--sentences", "5")
    assert code == code5 == 0
    assert "BAKU, Azerbaijan · Trend · 20260225-" in one
    assert "1. The Congress of the Republic of Peru" in one
    assert len(five) > len(one)
    code, out, _ = newsbot("articles", "2026-03-01", "--data", data)
    assert (code, out.strip()) == (0, "No articles on 2026-03-01. Nearest dates with articles: 2026-02-25.")


def test_bad_inputs_each_get_one_line_and_the_rest_go_in(newsbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("date 2026-02-24 OSLO, Feb. 24 - Ferries resumed service. Crews were relieved.")
    (src / "latin1.txt").write_bytes("date 2026-02-24 Café opens.".encode("latin-1"))
    (src / "nodate.txt").write_text("A story with no date line.")
    (src / "impossible.txt").write_text("date 2026-02-30 Never happened.")
    (src / "empty.txt").write_text("date 2026-02-24    \n")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    with (src / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    data = tmp_path / "data"
    code, out, err = newsbot("ingest", "--data", str(data), str(src))
    assert code == 1
    assert out.strip() == "added 1, already present 0, rejected 6"
    lines = sorted(err.strip().splitlines())
    assert lines == sorted([
        f"rejected {src / 'latin1.txt'}: not UTF-8 text (byte 0xe9 at offset 19)",
        f"rejected {src / 'nodate.txt'}: no date: the file must start with a line 'date YYYY-MM-DD'",
        f"rejected {src / 'impossible.txt'}: impossible date 2026-02-30",
        f"rejected {src / 'empty.txt'}: empty article body",
        f"rejected {src / 'binary.txt'}: binary file, not text",
        f"rejected {src / 'huge.txt'}: file too large (50.0 MB; the limit is 10 MB)",
    ])
    with Store.open(data, writable=False) as store:
        assert store.count() == 1


def test_rejections_never_lose_stored_articles(newsbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = str(tmp_path / "data")
    assert newsbot("ingest", "--data", data, str(SAMPLES))[0] == 0
    with Store.open(Path(data), writable=False) as store:
        before = {d: [a.to_dict() for a in store.by_date(d)] for d in store.dates()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"date 2026-02-25 \xc3\x28 broken")
    assert newsbot("ingest", "--data", data, str(bad), str(tmp_path / "missing.txt"))[0] == 1
    with Store.open(Path(data), writable=False) as store:
        after = {d: [a.to_dict() for a in store.by_date(d)] for d in store.dates()}
    assert after == before


def test_a_folder_of_thousands_of_files(newsbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "many"
    for folder in range(4):
        sub = src / f"part{folder}"
        sub.mkdir(parents=True)
        for n in range(600):
            day = 1 + (folder * 600 + n) % 28
            (sub / f"{n:04}.txt").write_text(
                f"date 2026-02-{day:02} Story {folder}-{n} about the river ferry. The ferry runs daily."
            )
    (src / "part0" / "notes.csv").write_text("ignored,by,extension")
    code, out, err = newsbot("ingest", "--data", str(tmp_path / "data"), str(src))
    assert (code, out.strip()) == (0, "added 2400, already present 0, rejected 0"), err


def test_summarize_a_file_and_standard_input(newsbot, seed_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = newsbot("summarize", str(seed_file), "--sentences", "2")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    assert not any("BAKU" in line or line.startswith("date") for line in lines)
    text = seed_file.read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert all(" ".join(line.split()) in flat for line in lines)
    piped = subprocess.run(
        [sys.executable, "-m", "bot", "summarize", "-", "--sentences", "1"],
        input="Only one sentence here.", capture_output=True, text=True, cwd=tmp_path,
    )
    assert (piped.returncode, piped.stdout.strip()) == (0, "Only one sentence here.")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["articles", "2026-02-30"], "newsbot: date: impossible date 2026-02-30"),
        (["articles", "--sentences", "9"], "newsbot: --sentences must be from 1 to 5"),
        (["ingest", "x.txt", "--date", "tomorrow"],
         "newsbot: --date: 'tomorrow' is not a date in the form YYYY-MM-DD"),
        (["summarize", "missing.txt"], "newsbot: missing.txt: cannot read (No such file or directory)"),
        (["articles", "--config", "nope.toml"], "newsbot: nope.toml: no such config file"),
    ],
)
def test_usage_errors_are_one_line(newsbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                   argv: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = newsbot(*argv, "--data", str(tmp_path / "data"))
    assert (code, err.strip()) == (2, message)


def test_bad_config_is_one_line(newsbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "newsbot.toml"
    config.write_text("[summaries]\nalgorithm = 'magic'\n")
    code, _, err = newsbot("articles", "--config", str(config))
    assert code == 2
    assert err.startswith(f"newsbot: {config}: unknown summary algorithm 'magic' (one of: ")
    config.write_text("[store\n")
    code, _, err = newsbot("articles", "--config", str(config))
    assert code == 2 and err.startswith(f"newsbot: {config}: not valid TOML")


def test_config_data_dir_is_relative_to_the_config(newsbot, seed_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "conf" / "newsbot.toml"
    config.parent.mkdir()
    config.write_text("[store]\ndata_dir = 'archive'\n[summaries]\nsentences = 1\n")
    assert newsbot("ingest", "--config", str(config), str(seed_file))[0] == 0
    assert (tmp_path / "conf" / "archive").is_dir()


def test_second_writer_gets_a_clear_error(newsbot, seed_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    with Store.open(data):
        code, _, err = newsbot("ingest", "--data", str(data), str(seed_file))
    assert code == 2
    assert err.startswith("newsbot: ") and "in use" in err and len(err.strip().splitlines()) == 1
