"""`quizbot run --role web` and `--role worker` as real processes: each starts, says it is ready
on /readyz with the checks of its role, and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.chaos.processes import Bot
from tests.chaos.test_posts_survive_crashes import fresh_database
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.slack.fake_slack import FakeSlack, bot_token
from tests.servers import redis_server


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A reachable Redis."""
    with redis_server() as url:
        yield url


@pytest.fixture
async def database() -> AsyncIterator[str]:
    """A fresh PostgreSQL database."""
    async with fresh_database() as url:
        yield url


@pytest.fixture
async def platforms() -> AsyncIterator[dict[str, str]]:
    """Fake Slack and Discord, and the settings that point the bot at them."""
    slack, discord = FakeSlack(), FakeDiscord()
    slack.add_team("T1", "Acme")
    await slack.start()
    await discord.start()
    yield {"SLACK_BOT_TOKEN": bot_token("T1"), "SLACK_SIGNING_SECRET": "s",
           "SLACK_API_URL": slack.api_url, "DISCORD_TOKEN": "test-token",
           "DISCORD_API_URL": discord.url, "DISCORD_GATEWAY_URL": discord.gateway_url,
           "SCHEDULE_PASS_SECONDS": "0.5", "SHARD_CLAIM_SECONDS": "1"}
    await discord.close()
    await slack.close()


async def started(role: str, env: dict[str, str], log: Path) -> Bot:
    """A `quizbot run --role ROLE`, once /readyz says it is ready."""
    bot = Bot(env, log, ("run", "--role", role))
    bot.start()
    await bot.ready(path="/readyz")
    return bot


async def stops_cleanly(bot: Bot) -> None:
    """SIGTERM ends it with exit code 0 and no traceback."""
    bot.signal(signal.SIGTERM)
    assert await bot.exited(timeout=15) == 0, bot.output()
    assert "Traceback" not in bot.output()


async def test_a_web_process_serves_slack_and_checks_the_database_and_redis(
        database: str, redis_url: str, platforms: dict[str, str], tmp_path: Path) -> None:
    env = {**platforms, "DATABASE_URL": database, "REDIS_URL": redis_url}
    bot = await started("web", env, tmp_path / "web.log")
    try:
        status, ready = await bot.get("/readyz")
        assert status == 200 and set(ready["checks"]) == {"database", "redis", "slack"}
        assert (await bot.get("/healthz")) == (200, "ok")
        status, _ = await bot.get("/slack/events")
        assert status == 405, "Slack's events route is there (for POST only)"
        await stops_cleanly(bot)
    finally:
        bot.stop()


async def test_a_worker_runs_the_scheduling_pass_and_discord_but_serves_no_slack_routes(
        database: str, platforms: dict[str, str], tmp_path: Path) -> None:
    bot = await started("worker", {**platforms, "DATABASE_URL": database},
                        tmp_path / "worker.log")
    try:
        status, ready = await bot.get("/readyz")
        assert status == 200 and set(ready["checks"]) == {"database", "slack", "discord",
                                                          "scheduling"}
        assert ready["checks"]["discord"]["detail"].startswith("shards")
        status, _ = await bot.get("/slack/events")
        assert status == 404, "Slack's requests go to web processes"
        await stops_cleanly(bot)
    finally:
        bot.stop()


async def test_all_in_one_process_by_default(database: str, platforms: dict[str, str],
                                             tmp_path: Path) -> None:
    bot = Bot({**platforms, "DATABASE_URL": database}, tmp_path / "all.log")
    bot.start()
    try:
        await bot.ready(path="/readyz")
        _, ready = await bot.get("/readyz")
        assert {"slack", "discord", "scheduling"} <= set(ready["checks"])
        await stops_cleanly(bot)
    finally:
        bot.stop()
