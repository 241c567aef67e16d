"""Every benchmark still runs (at a size that proves it works; nothing here is timed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench import __main__ as bench
from bench.report import Figure
from tests.servers import redis_server


@pytest.fixture
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


def test_every_benchmark_runs_and_reports_its_figures_with_goals(
        redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_REDIS_URL", redis_url)
    figures = bench.run(bench.SMALL)
    names = " ".join(figure.name for figure in figures)
    for wanted in ("answers/s, PostgreSQL", "answers/s, PostgreSQL + Redis boards",
                   "leaderboard p99, Redis", "leaderboard p99, SQL fallback",
                   "start to /healthz", "RSS with", "scheduling pass"):
        assert wanted in names
    assert all(isinstance(figure, Figure) and figure.goal for figure in figures)
