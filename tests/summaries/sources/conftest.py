"""Fixtures for the sources tests: the loopback news site, a store, a counting poller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from summaries.article import Article
from summaries.corpus import Draft
from summaries.ingest import build_article
from summaries.sources import FetchSettings, HttpClient, Poller, SourceRegistry
from summaries.store import Store
from tests.fakes.newssite import NewsSite

NOW = dt.datetime(2026, 2, 25, 12, 0, tzinfo=dt.timezone.utc)


def paragraphs(topic: str, n: int = 4) -> list[str]:
    """A plausible article body of `n` paragraphs (about 45 words each) on `topic`."""
    return [
        f"Officials in the harbour city said on Tuesday that the {topic} plan number {i} would "
        f"go ahead after months of debate among residents, engineers and the regional council. "
        f"The decision, reached late in the evening, followed a long public hearing in which "
        f"several speakers raised concerns about cost and timing for step {i}."
        for i in range(1, n + 1)
    ]


def article_text(topic: str, n: int = 4) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs(topic, n))


@dataclass
class Counter:
    """A builder that counts summarizer calls (build_article ranks sentences)."""

    calls: int = 0
    drafts: list[Draft] = field(default_factory=list)

    def __call__(self, draft: Draft) -> Article:
        self.calls += 1
        self.drafts.append(draft)
        return build_article(draft, algorithm="lead")


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(FetchSettings(timeout_seconds=10, max_bytes=1_000_000)) as made:
        yield made


@dataclass
class Rig:
    store: Store
    registry: SourceRegistry
    poller: Poller
    counter: Counter


@pytest.fixture
def rig(store: Store, client: HttpClient) -> Rig:
    counter = Counter()
    registry = SourceRegistry(store)
    poller = Poller(store, registry, client, build=counter, clock=lambda: NOW)
    return Rig(store, registry, poller, counter)
