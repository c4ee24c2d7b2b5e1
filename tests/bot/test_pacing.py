"""The send schedule: an even grid under the rate, no burst after idling, pauses, spacing."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.pacing import SAFETY, Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def pacer(clock: Clock, rate: float = 10.0) -> Pacer:
    return Pacer(rate=rate, per_chat_interval=1.0, group_per_minute=20,
                 sleep=clock.sleep, monotonic=clock.monotonic)


def turns(p: Pacer, clock: Clock, count: int, chat: int = 1, group: bool = False) -> list[float]:
    async def run() -> list[float]:
        times = []
        for n in range(count):
            await p.turn(chat + n, group)
            times.append(clock.now)
        return times

    return asyncio.run(run())


def test_turns_follow_an_even_grid_just_under_the_rate() -> None:
    clock = Clock()
    times = turns(pacer(clock), clock, 31)
    gaps = {round(b - a, 6) for a, b in itertools.pairwise(times)}
    assert gaps == {round(1 / (10 * (1 - SAFETY)), 6)}
    assert sum(1 for t in times if t < times[0] + 1.0) <= 10  # any sliding second


def test_an_idle_pacer_gives_no_burst_credit() -> None:
    clock = Clock()
    p = pacer(clock)
    turns(p, clock, 3)
    clock.now += 60  # nothing to send for a minute
    idle_end = clock.now
    times = turns(p, clock, 3, chat=10)
    assert times[0] == idle_end  # at once, and then on the grid again: no catching up
    assert times[1] - times[0] == pytest.approx(1 / (10 * (1 - SAFETY)))


def test_pause_holds_every_turn() -> None:
    clock = Clock()
    p = pacer(clock)
    turns(p, clock, 1)
    p.pause(5.0)
    start = clock.now
    times = turns(p, clock, 2, chat=5)
    assert times[0] >= start + 5.0 and times[1] > times[0]


def test_chats_and_groups_are_spaced() -> None:
    clock = Clock()
    p = pacer(clock, rate=1000)

    async def run() -> None:
        await p.turn(7, False)
        assert p.earliest(7, False) == clock.now + 1.0 * (1 + SAFETY)
        for _ in range(20):
            await p.turn(-9, True)
        assert p.earliest(-9, True) >= clock.now + 59.0

    asyncio.run(run())


def test_a_send_that_wakes_late_takes_a_new_turn() -> None:
    class Oversleeping(Clock):
        def __init__(self) -> None:
            super().__init__()
            self.late = [0.0, 0.05]  # the second sleep ends 50 ms late, as on a loaded machine

        async def sleep(self, seconds: float) -> None:
            self.now += seconds + (self.late.pop(0) if self.late else 0.0)

    clock = Oversleeping()
    p = pacer(clock)
    interval = 1 / (10 * (1 - SAFETY))
    times = turns(p, clock, 4)
    # Not sent 50 ms after its turn: it waited for the next one.
    assert all(b - a >= interval - 1e-9 for a, b in itertools.pairwise(times))
