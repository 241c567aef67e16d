"""The answer path: many members answering pop quizzes at once, through the service layer,
beside a floor measured in the same run (asyncpg INSERT … ON CONFLICT DO NOTHING, plus redis
ZINCRBY where the bot uses Redis), same count, same concurrency."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from redis.asyncio import Redis
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from bench.report import Figure, NoPoster
from bot.adapters.answer_book import SqlAnswerBook
from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_engine, make_sessions, migrate
from bot.adapters.orm import ChannelRow, QuestionRow, RoundRow, WorkspaceRow
from bot.adapters.redis_leaderboard import RedisLeaderboard, connect
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.domain.model import Presentation, Where, Who
from bot.domain.ports import Leaderboard
from bot.services.answering import submit_answer
from bot.services.deps import Deps

NOW = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)
QUESTION_ID = "bench-q"


@dataclass
class Run:
    """Throughput and latency of one batch of answers."""

    per_second: float
    p50: float
    p99: float

    def line(self, label: str) -> str:
        """One row of the table."""
        return (f"  {label:<34} {self.per_second:8.0f}/s  p50 {self.p50 * 1e3:6.1f} ms  "
                f"p99 {self.p99 * 1e3:6.1f} ms")


async def concurrently(calls: list[Callable[[], Awaitable[object]]], in_flight: int) -> Run:
    """Run the calls, `in_flight` at a time; their rate and latency percentiles."""
    gate = asyncio.Semaphore(in_flight)
    latencies: list[float] = []

    async def one(call: Callable[[], Awaitable[object]]) -> None:
        async with gate:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(call) for call in calls))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return Run(len(calls) / elapsed, statistics.median(latencies),
               latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))])


def warm_up(in_flight: int) -> int:
    """Answers sent before measuring, by the bot and by the floor alike: enough for every
    pooled connection to run each statement six times, since PostgreSQL plans a prepared
    statement anew for its first five runs on a connection (4 ms for the very first on a fresh
    database) and only then settles on a generic plan; a long-running process is past that."""
    return max(50, in_flight * 6)


async def seed_rounds(engine: object, rounds: int) -> tuple[str, list[int]]:
    """A workspace with one channel and `rounds` open pop rounds; (team id, round ids)."""
    team = f"T{uuid.uuid4().hex[:8]}"
    async with engine.begin() as db:  # type: ignore[attr-defined]
        ws = (await db.execute(insert(WorkspaceRow).values(
            platform="slack", external_id=team, name="bench", active=True,
            created_at=NOW).returning(WorkspaceRow.id))).scalar_one()
        channel = (await db.execute(insert(ChannelRow).values(
            workspace_id=ws, external_id="C1", name="general", zone="UTC", days="1111100",
            window_minutes=480, pop_window_minutes=10, topics="", weekly_day=None,
            weekly_time="16:00").returning(ChannelRow.id))).scalar_one()
        ids = [(await db.execute(insert(RoundRow).values(
            workspace_id=ws, channel_id=channel, question_id=QUESTION_ID, kind="pop",
            opened_at=NOW, closes_at=NOW + timedelta(hours=1), seed=r)
            .returning(RoundRow.id))).scalar_one() for r in range(rounds)]
    return team, ids


async def bot_run(url: str, redis: Redis | None, answers: int, rounds: int,
                  in_flight: int) -> tuple[Run, float]:
    """(answers by distinct new members spread over the rounds, one answer alone)."""
    engine = make_engine(url)
    sessions = make_sessions(engine)
    clock = FrozenClock(NOW + timedelta(minutes=1))
    sql = SqlLeaderboard(sessions)
    board: Leaderboard = sql
    if redis is not None:
        board = RedisLeaderboard(redis, sql, clock, prefix=f"bench{uuid.uuid4().hex}:")
    deps = Deps(uow=SqlUnitOfWorkFactory(sessions), answers=SqlAnswerBook(engine),
                clock=clock, leaderboard=board,
                poster=NoPoster(), rng=random.Random(1))  # type: ignore[arg-type]
    team, ids = await seed_rounds(engine, rounds)
    where = Where("slack", team, "C1", "bench", "general")
    async with deps.uow() as uow:
        question = await uow.questions.get(QUESTION_ID)
    assert question is not None
    letters = {rid: Presentation.shuffled(question, seed).correct_letters
               for rid, seed in zip(ids, range(rounds), strict=True)}

    def answer(n: int) -> Callable[[], Awaitable[object]]:
        rid = ids[n % rounds]
        return lambda: submit_answer(deps, where, Who(f"U{n}", f"member {n}"), rid,
                                     letters[rid])

    warm = warm_up(in_flight)
    await concurrently([answer(n) for n in range(warm)], in_flight)
    if isinstance(board, RedisLeaderboard):
        await board.idle()
    run = await concurrently([answer(n) for n in range(warm, warm + answers)], in_flight)
    alone = await single(answer, warm + answers, 50)
    if isinstance(board, RedisLeaderboard):
        await board.aclose()
    await engine.dispose()
    return run, alone


async def single(make: Callable[[int], Callable[[], Awaitable[object]]], first: int,
                 count: int) -> float:
    """Median seconds of one call at a time."""
    samples = []
    for n in range(first, first + count):
        started = time.perf_counter()
        await make(n)()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


async def floor_run(url: str, redis: Redis | None, answers: int,
                    in_flight: int) -> tuple[Run, float]:
    """The same number of bare INSERT … ON CONFLICT DO NOTHING (+ ZINCRBY) on asyncpg."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    pool = await asyncpg.create_pool(dsn, min_size=in_flight, max_size=in_flight)
    table = f"floor_{uuid.uuid4().hex[:8]}"
    key = f"bench{uuid.uuid4().hex}:floor"
    async with pool.acquire() as db:
        await db.execute(f"CREATE TABLE {table} (round_id bigint, member_id bigint, "
                         "points int, PRIMARY KEY (round_id, member_id))")

    def answer(n: int) -> Callable[[], Awaitable[object]]:
        async def call() -> None:
            await pool.execute(f"INSERT INTO {table} VALUES ($1, $2, 5) "
                               "ON CONFLICT DO NOTHING", n % 20, n)
            if redis is not None:
                await redis.zincrby(key, 5, str(n))
        return call

    warm = warm_up(in_flight)
    await concurrently([answer(n) for n in range(warm)], in_flight)
    run = await concurrently([answer(n) for n in range(warm, warm + answers)], in_flight)
    alone = await single(answer, warm + answers, 50)
    async with pool.acquire() as db:
        await db.execute(f"DROP TABLE {table}")
    await pool.close()
    if redis is not None:
        await redis.delete(key)
    return run, alone


async def seed_bank(url: str) -> None:
    """Migrate and add the one question every round asks."""
    engine = make_engine(url)
    await migrate(engine)
    async with engine.begin() as db:
        await db.execute(insert(QuestionRow).values(
            id=QUESTION_ID, topic="bench", domain="development", difficulty="easy",
            text="Which?", choices=["a", "b", "c", "d"], answer=[2], explanation=".",
            content_hash="x", retired=False, updated_at=NOW))
    await engine.dispose()


async def measure(url: str, redis_url: str, answers: int = 3000, rounds: int = 20,
                  in_flight: int = 32) -> list[Figure]:
    """Both configurations beside their floors."""
    await seed_bank(url)
    redis = connect(redis_url)
    figures = []
    print(f"answer path: {answers} answers by distinct new members to {rounds} pop rounds, "
          f"{in_flight} in flight, PostgreSQL")
    for label, client in (("PostgreSQL", None), ("PostgreSQL + Redis boards", redis)):
        floor, floor_alone = await floor_run(url, client, answers, in_flight)
        bot, alone = await bot_run(url, client, answers, rounds, in_flight)
        print(bot.line(f"the bot, {label}"))
        print(floor.line(f"floor, {label}"))
        ratio = bot.per_second / floor.per_second
        figures.append(Figure(f"answers/s, {label}", f"{ratio:.2f}x the floor",
                              ">= 0.25x", ratio >= 0.25))
        figures.append(Figure(f"p99, {label}", f"{bot.p99 * 1e3:.1f} ms", "<= 50 ms",
                              bot.p99 <= 0.050))
        figures.append(Figure(f"one answer alone, {label}",
                              f"{alone * 1e3:.2f} ms = {alone / floor_alone:.1f}x the floor's "
                              f"{floor_alone * 1e3:.2f} ms", "<= 4x", alone <= 4 * floor_alone))
    await redis.aclose()
    return figures
