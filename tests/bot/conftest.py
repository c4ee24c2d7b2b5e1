from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli import main
from summaries.ingest import find_files, ingest
from summaries.store import Store
from tests.bot.harness import BotHarness, make_config
from tests.conftest import SAMPLES
from tests.fakes import FakeBotApi


Run = tuple[int, str, str]  # exit status, standard output, standard error


@pytest.fixture
def newsbot(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """The `newsbot` command run in this process, as (status, out, err)."""
    def run(*argv: str) -> Run:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi(strict_ampersand=True) as server:
        yield server


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder holding the bundled samples."""
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        ingest(store, find_files([SAMPLES]))
    return folder


@pytest.fixture
def bot(data: Path, fake: FakeBotApi) -> Iterator[BotHarness]:
    harness = BotHarness(make_config(data, fake), fake).start()
    try:
        yield harness
    finally:
        harness.stop()
