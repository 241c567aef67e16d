"""The process's own HTTP routes: health and readiness for the platform's checks, metrics for
Prometheus."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.orm import ChannelRow
from bot.bootstrap import bootstrap, prepare_database
from bot.config import Settings
from bot.domain.model import Where, Who
from bot.health import Readiness, Status
from bot.runner import health_routes
from bot.services import quiz
from tests.recording import RecordingPoster

REPO = Path(__file__).resolve().parents[2]


def settings_for(database_url: str, **extra: Any) -> Settings:
    """Settings on the test database, ignoring any .env file."""
    return Settings(_env_file=None, database_url=database_url,
                    questions_path=str(REPO / "questions"), **extra)


async def test_metrics_show_the_outbox_the_installs_and_the_open_questions(
        database_url: str, engine: AsyncEngine) -> None:
    # `engine` leaves an empty, migrated database: the counts below are this test's own.
    async with bootstrap(settings_for(database_url)) as runtime:
        await prepare_database(runtime)
        runtime.router.register("slack", RecordingPoster())
        await quiz.handle(runtime.deps, Where("slack", "T1", "C1"), Who("U1", "ann"), "now")
        app = web.Application()
        health_routes(runtime, app)
        async with TestClient(TestServer(app)) as client:
            health = await client.get("/healthz")
            assert (health.status, await health.text()) == (200, "ok")
            metrics = await (await client.get("/metrics")).text()
    assert "quizbot_workspaces_active 1.0" in metrics
    assert "quizbot_rounds_open 1.0" in metrics
    assert "quizbot_outbox_depth 1.0" in metrics, "the pop quiz waits for a deliverer"
    assert "quizbot_schedule_lag_seconds 0.0" in metrics
    assert "# TYPE quizbot_reply_seconds histogram" in metrics


async def test_with_a_metrics_token_metrics_need_it_as_a_bearer_token(
        database_url: str, engine: AsyncEngine) -> None:
    async with bootstrap(settings_for(database_url, metrics_token="scrape-me")) as runtime:
        app = web.Application()
        health_routes(runtime, app)
        async with TestClient(TestServer(app)) as client:
            assert (await client.get("/metrics")).status == 401
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            assert wrong.status == 401
            right = await client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
            assert right.status == 200
            assert (await client.get("/healthz")).status == 200, "probes need no token"


class _Stuck:
    name = "discord"

    def status(self) -> Status:
        return Status(False, "shards 1; not connected: 1")


async def test_readyz_is_503_naming_what_is_not_ready(database_url: str,
                                                      engine: AsyncEngine) -> None:
    async with bootstrap(settings_for(database_url)) as runtime:
        app = web.Application()
        health_routes(runtime, app, Readiness(runtime, [_Stuck()], lambda: None))
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/readyz")
            body = await response.json()
    assert response.status == 503 and not body["ready"]
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}
    assert body["checks"]["discord"]["detail"] == "shards 1; not connected: 1"
    assert body["checks"]["scheduling"] == {"ok": False,
                                            "detail": "no scheduling pass has finished yet"}


async def test_schedule_lag_is_how_long_the_most_overdue_channel_has_waited(
        database_url: str, engine: AsyncEngine) -> None:
    async with bootstrap(settings_for(database_url)) as runtime:
        await prepare_database(runtime)
        admin = Who("U1", "ann", is_admin=True)
        await quiz.handle(runtime.deps, Where("slack", "T1", "C1"), admin, "daily 09:00 UTC")
        overdue = runtime.deps.clock.now() - timedelta(seconds=90)
        async with engine.begin() as connection:
            await connection.execute(update(ChannelRow).values(next_due_at=overdue))
        await runtime.metrics.refresh(runtime.engine, runtime.deps.clock.now())
    text = runtime.metrics.render().decode()
    lag = next(float(line.split()[-1]) for line in text.splitlines()
               if line.startswith("quizbot_schedule_lag_seconds "))
    assert 90 <= lag < 120
