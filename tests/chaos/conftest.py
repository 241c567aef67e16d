"""The chaos suite: real processes on one PostgreSQL database, a fake Slack in the test."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.chaos.processes import Bot
from tests.chaos.slack_traffic import Slack
from tests.platforms.slack.fake_slack import FakeSlack, Person
from tests.servers import postgres_database


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """One fresh database per module (the processes migrate it on start)."""
    with postgres_database() as url:
        yield url


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A fake Slack Web API with one workspace."""
    slack = FakeSlack()
    slack.add_team("T1", "Acme", Person("U0ADA", "T1", "Ada", admin=True))
    await slack.start()
    yield slack
    await slack.close()


@pytest.fixture
async def slack(fake: FakeSlack) -> AsyncIterator[Slack]:
    """Slack's side: signed requests."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as http:
        yield Slack(http, fake)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A plain connection to check what was stored."""
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    connection = await asyncpg.connect(dsn)
    yield connection
    await connection.close()


@pytest.fixture
def logs() -> Iterator[Path]:
    """A folder for the processes' logs, private to this test."""
    with tempfile.TemporaryDirectory(prefix="quizbot-chaos-") as folder:
        yield Path(folder)


@pytest.fixture
def bots() -> Iterator[list[Bot]]:
    """The processes a test started; all are gone afterwards."""
    started: list[Bot] = []
    yield started
    for bot in started:
        bot.stop()
