"""The terminal chat on the real services and database, on the SQL and the Redis leaderboard."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.answer_book import SqlAnswerBook
from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_sessions
from bot.adapters.orm import Base
from bot.adapters.question_files import content_hash
from bot.adapters.redis_leaderboard import RedisLeaderboard
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.domain.ports import Leaderboard
from bot.platforms.terminal import TerminalChat, TerminalPoster
from bot.services.bank import sync_bank
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS
from tests.servers import forget_keys, redis_server


@pytest.fixture(params=["sql", "redis"])
async def leaderboard(request: pytest.FixtureRequest, engine: AsyncEngine,
                      clock: FrozenClock) -> AsyncIterator[Leaderboard]:
    """The terminal plays the same on the SQL leaderboard and on Redis in front of it."""
    sql = SqlLeaderboard(make_sessions(engine))
    if request.param == "sql":
        yield sql
        return
    with redis_server() as url:
        client = Redis.from_url(url)
        prefix = f"test{uuid.uuid4().hex}:"
        yield RedisLeaderboard(client, sql, clock, prefix=prefix)
        await forget_keys(client, f"{prefix}*")
        await client.aclose()


@pytest.fixture
async def chat(engine: AsyncEngine, clock: FrozenClock,
               leaderboard: Leaderboard) -> TerminalChat:
    sessions = make_sessions(engine)
    poster = TerminalPoster()
    deps = Deps(uow=SqlUnitOfWorkFactory(sessions), answers=SqlAnswerBook(engine), clock=clock,
                leaderboard=leaderboard, poster=poster, rng=random.Random(5))
    start = clock.now()

    async def load_bank() -> None:
        await sync_bank(deps.uow, SAMPLE_TOPICS,
                        [(q, content_hash(q)) for q in SAMPLE_QUESTIONS])

    async def reset() -> None:
        async with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                await connection.execute(delete(table))
        if isinstance(leaderboard, RedisLeaderboard):
            await leaderboard.idle()  # a rebuild still running would write the old board back
            await forget_keys(leaderboard.redis, f"{leaderboard.prefix}*")
        clock.set(start)
        await load_bank()

    await load_bank()
    return TerminalChat(deps, poster, clock, user="alice", reset=reset)
