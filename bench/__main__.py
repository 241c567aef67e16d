"""Leaderboard reads from SQL and from Redis, as ratios to a floor measured in the same run.

The floor is the cheapest round trip to the same server (SELECT 1, PING): machines are shared
and noisy, so absolute times mean little, but ratios to the floor measured alongside do.
Uses a fresh database on TEST_DATABASE_URL's server if set (else a SQLite file), and
TEST_REDIS_URL (else the local Redis) with keys of its own.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench import scheduler_pass
from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_engine, make_sessions, migrate
from bot.adapters.orm import (
    AnswerRow,
    ChannelRow,
    MemberRow,
    QuestionRow,
    RoundRow,
    WorkspaceRow,
)
from bot.adapters.redis_leaderboard import RedisLeaderboard, connect
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.domain.commands import Period
from bot.domain.ports import Score
from tests.servers import postgres_database

MEMBERS, ROUNDS, REPEAT = 300, 60, 30
NOW = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)


class Clock:
    def now(self) -> datetime:
        return NOW


async def timed(call: Callable[[], Awaitable[object]]) -> float:
    """Median seconds of REPEAT calls, after one warm-up."""
    await call()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def seed(url: str) -> tuple[SqlLeaderboard, int, int, object]:
    engine = make_engine(url)
    await migrate(engine)
    rng = random.Random(1)
    async with engine.begin() as db:
        ws = (await db.execute(insert(WorkspaceRow).values(
            platform="bench", external_id=uuid.uuid4().hex, name="bench", active=True,
            created_at=NOW).returning(WorkspaceRow.id))).scalar_one()
        channel = (await db.execute(insert(ChannelRow).values(
            workspace_id=ws, external_id="c", name="c", zone="UTC", days="1111100",
            window_minutes=480, pop_window_minutes=10, topics="", weekly_day=4,
            weekly_time="16:00").returning(ChannelRow.id))).scalar_one()
        await db.execute(insert(QuestionRow).values(
            id=f"bench-{ws}", topic="bench", domain="development", difficulty="easy", text="?",
            choices=["a", "b"], answer=[0], explanation=".", content_hash="x", retired=False,
            updated_at=NOW))
        members = [(await db.execute(insert(MemberRow).values(
            workspace_id=ws, external_id=f"m{i}", display_name=f"member {i}")
            .returning(MemberRow.id))).scalar_one() for i in range(MEMBERS)]
        for r in range(ROUNDS):
            at = NOW - timedelta(hours=r * 3)
            round_id = (await db.execute(insert(RoundRow).values(
                workspace_id=ws, channel_id=channel, question_id=f"bench-{ws}", kind="pop",
                opened_at=at, closes_at=at, closed_at=at, seed=r).returning(RoundRow.id)
            )).scalar_one()
            await db.execute(insert(AnswerRow), [
                {"workspace_id": ws, "round_id": round_id, "member_id": m, "choices": [0],
                 "correct": True, "points": rng.choice([0, 5]), "streak": 0, "answered_at": at}
                for m in members])
    return SqlLeaderboard(make_sessions(engine)), ws, channel, engine


async def main(url: str) -> None:
    sql, ws, channel_id, engine = await seed(url)
    redis = connect(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    board = RedisLeaderboard(redis, sql, Clock(), prefix=f"bench{uuid.uuid4().hex}:")
    await board.rebuild(ws)

    async def select_one() -> None:
        async with engine.connect() as db:  # type: ignore[attr-defined]
            await db.execute(text("SELECT 1"))

    sql_floor = await timed(select_one)
    redis_floor = await timed(redis.ping)
    sql_top = await timed(lambda: sql.members(ws, Period.ALL, NOW, 10))
    redis_top = await timed(lambda: board.members(ws, Period.ALL, NOW, 10))
    members = await sql.member_points(ws, Period.ALL, NOW)
    member_id = next(iter(members))
    score = Score(ws, channel_id, member_id, "member", 5, NOW)
    record = await timed(lambda: board.record(score))
    sql_rank = await timed(lambda: sql.rank_of(ws, Period.WEEK, NOW, 1))
    redis_rank = await timed(lambda: board.rank_of(ws, Period.WEEK, NOW, 1))

    print(f"{MEMBERS} members × {ROUNDS} rounds = {MEMBERS * ROUNDS} answers on "
          f"{url.split(':')[0]}; median of {REPEAT}")
    print(f"  floor: SQL SELECT 1 {sql_floor * 1e3:.2f} ms, Redis PING {redis_floor * 1e3:.2f} ms")
    print(f"  top 10 all-time   SQL {sql_top / sql_floor:6.1f}× its floor   "
          f"Redis {redis_top / redis_floor:6.1f}× its floor   "
          f"Redis/SQL {redis_top / sql_top:.2f}")
    print(f"  recording an answer in Redis (2 SQL sums, 1 Redis transaction) "
          f"{record / sql_floor:.1f}× the SQL floor")
    print(f"  one member's rank SQL {sql_rank / sql_floor:6.1f}× its floor   "
          f"Redis {redis_rank / redis_floor:6.1f}× its floor   "
          f"Redis/SQL {redis_rank / sql_rank:.2f}")
    sweep, floor = await scheduler_pass.measure(engine, FrozenClock(NOW), timed)
    print(f"  a scheduler sweep over {scheduler_pass.CHANNELS} channels with nothing due: "
          f"{sweep / floor:.1f}× the SQL floor")
    leftovers = [key async for key in redis.scan_iter(match=f"{board.prefix}*")]
    if leftovers:
        await redis.delete(*leftovers)
    await redis.aclose()
    await engine.dispose()  # type: ignore[attr-defined]


if __name__ == "__main__":
    if os.environ.get("TEST_DATABASE_URL"):
        with postgres_database() as throwaway:  # a fresh database, dropped afterwards
            asyncio.run(main(throwaway))
    else:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(main(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"))
