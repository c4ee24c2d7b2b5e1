"""Pausing the collector restores whatever state it was in."""

from __future__ import annotations

import gc

import pytest

from summaries.gcpause import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_a_paused_collector_comes_back_as_it_was(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
