"""The leaderboard a member asks for: the top 10 plus their own rank, on a board of many
members, from Redis and from the SQL fallback, beside the floors (PING, SELECT 1)."""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from redis.asyncio import Redis
from sqlalchemy import text

from bench.report import Figure
from bot.adapters.database import make_engine, make_sessions, migrate
from bot.adapters.redis_leaderboard import Keys, RedisLeaderboard, connect
from bot.adapters.sql_leaderboard import SqlLeaderboard, period_key
from bot.domain.commands import Period

NOW = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)
CHUNK = 20_000


class Clock:
    """The benchmark's fixed instant."""

    def now(self) -> datetime:
        """Always NOW."""
        return NOW


async def percentiles(call: Callable[[], Awaitable[object]], samples: int) -> tuple[float, float]:
    """(median, p99) seconds of one call at a time, after a warm-up."""
    for _ in range(5):
        await call()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


async def seed_sql(engine: object, members: int) -> int:
    """A workspace with `members` members, each with points this week and all time."""
    async with engine.begin() as db:  # type: ignore[attr-defined]
        ws = (await db.execute(text(
            "INSERT INTO workspaces (platform, external_id, name, active, created_at) "
            "VALUES ('bench', :ext, 'bench', true, :at) RETURNING id"),
            {"ext": uuid.uuid4().hex, "at": NOW})).scalar_one()
        await db.execute(text(
            "INSERT INTO members (workspace_id, external_id, display_name) "
            "SELECT :ws, 'U' || n, 'member ' || n FROM generate_series(1, :n) AS n"),
            {"ws": ws, "n": members})
        for period, spread in (("all", 5000), (period_key(Period.WEEK, NOW), 200)):
            await db.execute(text(
                "INSERT INTO member_points (workspace_id, period, member_id, points) "
                "SELECT workspace_id, :period, id, 1 + floor(random() * :spread)::int "
                "FROM members WHERE workspace_id = :ws"),
                {"ws": ws, "period": period, "spread": spread})
    async with engine.connect() as db:  # type: ignore[attr-defined]
        autocommit = await db.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE member_points"))
        await autocommit.execute(text("VACUUM ANALYZE members"))
    return int(ws)


async def seed_redis(redis: Redis, board: RedisLeaderboard, sql: SqlLeaderboard,
                     ws: int) -> None:
    """The same board in Redis, as a rebuild leaves it (loaded in chunks, not one
    transaction, to keep the benchmark's own memory small)."""
    keys = Keys(board.prefix, ws)
    for period in Period:
        points = await sql.member_points(ws, period, NOW)
        items = list(points.items())
        for start in range(0, len(items), CHUNK):
            chunk = items[start:start + CHUNK]
            async with redis.pipeline(transaction=False) as pipe:
                pipe.zadd(keys.board(period, NOW), {str(m): p for m, (_, p) in chunk})
                pipe.hset(keys.names, mapping={f"m:{m}": name for m, (name, _) in chunk})
                await pipe.execute()
    await redis.set(keys.ready, "0:bench")


async def measure(url: str, redis_url: str, members: int = 1_000_000,
                  samples: int = 200) -> list[Figure]:
    """Top 10 + the caller's rank on Redis and on SQL, with their floors."""
    engine = make_engine(url)
    await migrate(engine)
    print(f"leaderboard: top 10 and the caller's rank, {members:,} members, {samples} asks")
    started = time.perf_counter()
    ws = await seed_sql(engine, members)
    sql = SqlLeaderboard(make_sessions(engine))
    redis = connect(redis_url)
    board = RedisLeaderboard(redis, sql, Clock(), prefix=f"bench{uuid.uuid4().hex}:")
    await seed_redis(redis, board, sql, ws)
    print(f"  seeded in {time.perf_counter() - started:.0f} s")
    first_member = await _first_member(engine, ws)
    rng = random.Random(1)

    def ask(source: SqlLeaderboard | RedisLeaderboard) -> Callable[[], Awaitable[object]]:
        async def call() -> None:
            member = first_member + rng.randrange(members)
            await source.members(ws, Period.ALL, NOW, 10)
            await source.rank_of(ws, Period.ALL, NOW, member)
        return call

    async def select_one() -> None:
        async with engine.connect() as db:
            await db.execute(text("SELECT 1"))

    _, redis_floor = await percentiles(redis.ping, samples)
    _, sql_floor = await percentiles(select_one, samples)
    _, from_redis = await percentiles(ask(board), samples)
    _, from_sql = await percentiles(ask(sql), max(20, samples // 4))
    print(f"  Redis p99 {from_redis * 1e3:7.2f} ms   floor (PING) p99 {redis_floor * 1e3:.2f} ms")
    print(f"  SQL   p99 {from_sql * 1e3:7.2f} ms   floor (SELECT 1) p99 {sql_floor * 1e3:.2f} ms")
    keys = [key async for key in redis.scan_iter(match=f"{board.prefix}*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()
    await engine.dispose()
    return [Figure("leaderboard p99, Redis", f"{from_redis * 1e3:.2f} ms "
                   f"(floor {redis_floor * 1e3:.2f} ms)", "< 2 ms", from_redis < 0.002),
            Figure("leaderboard p99, SQL fallback", f"{from_sql * 1e3:.1f} ms "
                   f"(floor {sql_floor * 1e3:.2f} ms)", "< 250 ms", from_sql < 0.250)]


async def _first_member(engine: object, ws: int) -> int:
    async with engine.connect() as db:  # type: ignore[attr-defined]
        return int((await db.execute(text("SELECT min(id) FROM members WHERE workspace_id = :ws"),
                                     {"ws": ws})).scalar_one())
