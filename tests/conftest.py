"""Shared fixtures: a controlled clock, real databases (SQLite and PostgreSQL), a small bank."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_engine, migrate
from bot.adapters.orm import Base
from bot.adapters.question_files import content_hash
from bot.services.bank import sync_bank
from bot.services.deps import Deps
from tests.recording import RecordingPoster
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS
from tests.servers import postgres_database
from tests.sqlite_schema import sqlite_database
from tests.wiring import sql_deps

REPO = Path(__file__).resolve().parents[1]


# Under mutation testing, a mutant's run stops at its first failing test: the quick kinds go
# first, so that most mutants are caught in milliseconds rather than after the slow ones.
QUICK_FIRST = ("tests/unit/", "tests/integration/", "tests/e2e/")
# ... and a mutant that makes a wait never end (a future nobody resolves) fails its test after
# this long, where a test that passes takes seconds at most.
MUTANT_TIMEOUT = 60


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need a PostgreSQL or Redis server, so `-m` can leave them out;
    under `make mutate`, run the unit tests first and time out hung tests sooner."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        items.sort(key=_kind_order)
        for item in items:
            item.add_marker(pytest.mark.timeout(MUTANT_TIMEOUT))
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        callspec = getattr(item, "callspec", None)
        params = list(callspec.params.values()) if callspec is not None else []
        if "postgres_url" in item.fixturenames or "postgres" in params:
            item.add_marker(pytest.mark.postgres)
        if {"redis_url", "own_redis"} & set(item.fixturenames) or "redis" in params:
            item.add_marker(pytest.mark.redis)


def _kind_order(item: pytest.Item) -> int:
    path = item.nodeid.removeprefix("mutants/")
    return next((i for i, folder in enumerate(QUICK_FIRST) if path.startswith(folder)),
                len(QUICK_FIRST))


@pytest.fixture
def clock() -> FrozenClock:
    """A clock that starts on Friday 26 March 2027, 08:59 UTC, and moves only when told."""
    return FrozenClock(datetime(2027, 3, 26, 8, 59, tzinfo=UTC))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One fresh PostgreSQL database for the whole run."""
    with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_database(tmp_path, request.getfixturevalue("schema_templates"))
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def schema_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where migrated SQLite templates are kept: beside pytest's own temporary folders, so a
    later run (or a run beside this one) finds the template already made."""
    return tmp_path_factory.getbasetemp().parent


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database."""
    engine = make_engine(database_url)
    await migrate(engine)
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(text(f"DELETE FROM {table.name}"))
    yield engine
    await engine.dispose()


@pytest.fixture
def poster() -> RecordingPoster:
    """A poster that records what the services post."""
    return RecordingPoster()


@pytest.fixture
async def deps(engine: AsyncEngine, clock: FrozenClock, poster: RecordingPoster) -> Deps:
    """The services' dependencies on a real database, with the sample bank synced."""
    deps = sql_deps(engine, clock, poster, seed=7)
    await sync_bank(deps.uow, SAMPLE_TOPICS, [(q, content_hash(q)) for q in SAMPLE_QUESTIONS])
    return deps
