"""The running bot's garbage collector: frozen and off after start-up, passes on a timer."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.collector import FULL_EVERY, Collector


class Node:
    """A reference cycle's member, weakly referenceable to see when it is freed."""

    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def collector() -> Iterator[Collector]:
    """A settled collector; the test process gets its own collector back afterwards."""
    found = Collector()
    found.settle()
    try:
        yield found
    finally:
        gc.unfreeze()
        gc.enable()


def test_settling_freezes_start_up_and_stops_automatic_passes(collector: Collector) -> None:
    assert gc.get_freeze_count() > 0
    assert not gc.isenabled()
    garbage = cycle()
    churn = [[n] for n in range(200_000)]  # far past any automatic threshold
    del churn
    assert garbage() is not None
    assert asyncio.run(collector.collect()) >= 2
    assert garbage() is None


def test_every_so_many_passes_one_is_full(collector: Collector) -> None:
    kept: list[Node] = []
    garbage = cycle()
    node = garbage()
    assert node is not None
    kept.append(node)
    del node
    asyncio.run(collector.collect())  # survives a young pass: now in the oldest generation
    kept.clear()
    for _ in range(FULL_EVERY - 2):
        asyncio.run(collector.collect())
        assert garbage() is not None  # young passes do not scan the oldest generation
    asyncio.run(collector.collect())
    assert collector.passes == FULL_EVERY
    assert garbage() is None
