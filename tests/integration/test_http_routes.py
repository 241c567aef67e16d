"""The process's own HTTP routes: health for the platform's checks, metrics for Prometheus."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.bootstrap import bootstrap, prepare_database
from bot.config import Settings
from bot.domain.model import Where, Who
from bot.runner import health_routes
from bot.services import quiz
from tests.recording import RecordingPoster

REPO = Path(__file__).resolve().parents[2]


async def test_healthz_and_metrics_answer_from_the_database(database_url: str,
                                                            engine: AsyncEngine) -> None:
    # `engine` leaves an empty, migrated database: the counts below are this test's own.
    settings = Settings(_env_file=None, database_url=database_url,  # type: ignore[call-arg]
                        questions_path=str(REPO / "questions"))
    async with bootstrap(settings) as runtime:
        await prepare_database(runtime)
        runtime.router.register("slack", RecordingPoster())
        await quiz.handle(runtime.deps, Where("slack", "T1", "C1"), Who("U1", "ann"), "now")
        app = web.Application()
        health_routes(runtime, app)
        async with TestClient(TestServer(app)) as client:
            health = await client.get("/healthz")
            assert (health.status, await health.text()) == (200, "ok")
            metrics = await (await client.get("/metrics")).text()
    assert "quizbot_workspaces_active 1" in metrics
    assert "quizbot_rounds_open 1" in metrics
    assert "# TYPE quizbot_answers_total counter" in metrics
