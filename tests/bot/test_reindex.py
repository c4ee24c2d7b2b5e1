"""A running bot brings the day indexes an older newsbot wrote up to date, a day a run."""

from __future__ import annotations

from pathlib import Path

from tests.bot.harness import BotHarness, make_config
from tests.fakes import FakeBotApi
from tests.summaries.test_store_records import HEADER, as_older_sidecar


def versions(data: Path) -> list[int]:
    return [HEADER.unpack_from(p.read_bytes())[1] for p in sorted(data.rglob("*.idx"))]


def test_the_reindex_job_upgrades_each_older_day_then_ends(data: Path, fake: FakeBotApi) -> None:
    sidecars = sorted(data.rglob("*.idx"))
    for sidecar in sidecars:
        as_older_sidecar(sidecar)
    assert set(versions(data)) == {2}
    bot = BotHarness(make_config(data, fake), fake).start()
    try:
        assert bot.app.job_queue is not None
        (job,) = bot.app.job_queue.get_jobs_by_name("reindex")
        runs = 0
        while not job.removed:
            bot._call(job.run(bot.app))  # noqa: SLF001 - a job run directly, not waited for
            runs += 1
            assert runs <= len(sidecars) + 1
        assert runs == len(sidecars) + 1  # one day a run, and one run to find none left
        assert set(versions(data)) == {3}
        (day,) = bot.say("/date 2026-02-23")
        assert day.text.startswith("Monday, 23 February 2026 — 3 articles")
    finally:
        bot.stop()
