"""An operator's mistakes end in one line that says what is wrong and what to do, with a
non-zero exit and no traceback (unless --debug); one platform failing leaves the other running."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.chaos.processes import REPO, Bot
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.slack.fake_slack import FakeSlack, bot_token

UNREACHABLE_DB = "postgresql://postgres@127.0.0.1:1/quizbot"


async def quizbot(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run a `quizbot` command; its exit code and what it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=REPO,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode(errors="replace")


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """A fake Slack with one workspace."""
    fake = FakeSlack()
    fake.add_team("T1", "Acme")
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    """A fake Discord."""
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.close()


def both(slack: FakeSlack, discord: FakeDiscord, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Settings for Slack and Discord on the fakes, over a SQLite file."""
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", "SLACK_SIGNING_SECRET": "s",
            "SLACK_BOT_TOKEN": bot_token("T1"), "SLACK_API_URL": slack.api_url,
            "DISCORD_TOKEN": "test-token", "DISCORD_API_URL": discord.url,
            "DISCORD_GATEWAY_URL": discord.gateway_url, **extra}


async def discord_connected(bot: Bot) -> tuple[int, Any]:
    """/readyz once it says Discord's shard is connected."""
    for _ in range(300):
        status, ready = await bot.get("/readyz")
        if ready["checks"]["discord"]["detail"] == "shards 0":
            return status, ready
        await asyncio.sleep(0.1)
    raise AssertionError(f"Discord never connected:\n{bot.output()}")


async def test_an_unreachable_database_is_one_line_naming_database_url() -> None:
    code, out = await quizbot("migrate", env={"DATABASE_URL": UNREACHABLE_DB})
    assert code == 1
    assert out.strip().splitlines() == [
        "Cannot use the database at 127.0.0.1:1/quizbot: nothing listens at that address and "
        "port. Check DATABASE_URL and that the database server is running and reachable."]


async def test_with_debug_the_same_mistake_shows_its_traceback() -> None:
    code, out = await quizbot("--debug", "migrate", env={"DATABASE_URL": UNREACHABLE_DB})
    assert code == 1 and "Traceback" in out


async def test_a_database_url_that_is_no_url_says_what_one_looks_like() -> None:
    code, out = await quizbot("migrate", env={"DATABASE_URL": "localhost:5432"})
    assert code == 1 and len(out.strip().splitlines()) == 1
    assert out.startswith("DATABASE_URL is not a database URL") and "postgresql://" in out


async def test_a_wrong_slack_token_alone_stops_the_bot_with_one_line(
        slack: FakeSlack, tmp_path: Path) -> None:
    code, out = await quizbot("run", env={
        "DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", "SLACK_SIGNING_SECRET": "s",
        "SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_API_URL": slack.api_url, "PORT": "0"})
    assert code == 1 and "Traceback" not in out
    assert out.strip().splitlines()[-1].startswith(
        "Slack refused SLACK_BOT_TOKEN (invalid_auth). Copy the Bot User OAuth Token")


async def test_a_wrong_slack_token_leaves_discord_running_and_readyz_says_why(
        slack: FakeSlack, discord: FakeDiscord, tmp_path: Path) -> None:
    bot = Bot(both(slack, discord, tmp_path, SLACK_BOT_TOKEN="xoxb-wrong"), tmp_path / "b.log")
    bot.start()
    try:
        await bot.ready()
        status, ready = await discord_connected(bot)
        assert status == 503 and ready["checks"]["slack"]["detail"].startswith(
            "Slack refused SLACK_BOT_TOKEN")
        bot.signal(signal.SIGTERM)
        assert await bot.exited(timeout=15) == 0
        assert "Traceback" not in bot.output()
        assert bot.output().count("Slack refused SLACK_BOT_TOKEN") == 1
    finally:
        bot.stop()


async def test_a_wrong_discord_token_leaves_slack_serving(
        slack: FakeSlack, discord: FakeDiscord, tmp_path: Path) -> None:
    discord.fail("GET", "users/@me", 401, {"message": "401: Unauthorized", "code": 0}, times=5)
    bot = Bot(both(slack, discord, tmp_path), tmp_path / "b.log")
    bot.start()
    try:
        await bot.ready()
        status, ready = await bot.get("/readyz")
        assert status == 503 and ready["checks"]["slack"]["ok"]
        assert ready["checks"]["discord"]["detail"].startswith("Discord refused DISCORD_TOKEN")
        assert (await bot.get("/slack/events"))[0] == 405, "Slack's routes are served"
        assert "Traceback" not in bot.output()
    finally:
        bot.stop()


async def test_unreachable_redis_is_a_warning_for_run_and_an_error_for_a_rebuild(
        slack: FakeSlack, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", "SLACK_SIGNING_SECRET": "s",
           "SLACK_BOT_TOKEN": bot_token("T1"), "SLACK_API_URL": slack.api_url,
           "REDIS_URL": "redis://127.0.0.1:1/0"}
    bot = Bot(env, tmp_path / "b.log")
    bot.start()
    try:
        await bot.ready(path="/readyz")
        assert "Redis (REDIS_URL) is not reachable" in bot.output()
        assert "Traceback" not in bot.output()
    finally:
        bot.stop()
    code, out = await quizbot("leaderboard", "rebuild", env=env)
    assert code == 1 and len(out.strip().splitlines()) == 1
    assert out.startswith("Redis (REDIS_URL) is not reachable")


async def test_a_port_in_use_is_one_line_naming_port(slack: FakeSlack, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out = await quizbot("run", env={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", "SLACK_SIGNING_SECRET": "s",
            "SLACK_BOT_TOKEN": bot_token("T1"), "SLACK_API_URL": slack.api_url,
            "PORT": str(port)})
    assert code == 1 and "Traceback" not in out
    assert out.strip().splitlines()[-1] == (
        f"Port {port} is already in use. Stop the process that holds it, or set PORT to a "
        "free port.")


async def test_version_prints_the_installed_version() -> None:
    code, out = await quizbot("--version")
    assert code == 0 and out.startswith("quizbot ")
