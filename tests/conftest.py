"""Shared fixtures: paths to the project's samples and to ../shared's seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def seed_file() -> Path:
    """The article that defines the corpus format, read from ../shared at run time."""
    files = sorted(SEEDS.glob("*.txt"))
    assert files, f"the seed article is missing: expected it in {SEEDS}"
    return files[0]
