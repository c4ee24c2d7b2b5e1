from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from summaries.ingest import find_files, ingest
from summaries.store import Store
from tests.bot.harness import BotHarness, make_config
from tests.conftest import SAMPLES
from tests.fakes import FakeBotApi


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
