"""Leaderboards in Redis sorted sets, with SQL as the truth behind them.

Every answer is committed to SQL before `record` is called. If Redis fails, the answer still
counts: the tenant's board is marked stale, reads come from SQL, and the board is rebuilt from
SQL as soon as Redis answers again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import cast

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, RedisError, TimeoutError

from bot.adapters.sql_leaderboard import SqlLeaderboard, per_member, week_bounds
from bot.domain.commands import Period
from bot.domain.ports import Clock, Score
from bot.domain.schedule import iso_week_of
from bot.domain.standings import Standing, movers, ranked

log = logging.getLogger(__name__)
WEEK_KEY_LIFETIME = timedelta(weeks=5)  # weekly keys outlive their week, then go


def connect(url: str) -> Redis:
    """A Redis client that retries once on a dropped connection (e.g. after a Redis restart)
    and gives up quickly, so a Redis outage slows no answer down for long."""
    return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2,
                          retry=Retry(NoBackoff(), 1),
                          retry_on_error=[ConnectionError, TimeoutError])


class Keys:
    """The Redis keys of one tenant; every key carries the workspace."""

    def __init__(self, prefix: str, workspace_id: int) -> None:
        self.base = f"{prefix}lb:{workspace_id}"

    def board(self, period: Period, at: datetime) -> str:
        """Members' points: `lb:{ws}:all` or `lb:{ws}:w:{year}-{week}`."""
        return f"{self.base}:{self._period(period, at)}"

    def squads(self, period: Period, at: datetime) -> str:
        """Channels' points."""
        return f"{self.base}:squad:{self._period(period, at)}"

    def squad_members(self, period: Period, at: datetime, channel_id: int) -> str:
        """The active members of a channel in a period."""
        return f"{self.base}:squad:{self._period(period, at)}:members:{channel_id}"

    @property
    def ready(self) -> str:
        """Set by a rebuild: its absence means Redis lost the tenant's boards (a restart)."""
        return f"{self.base}:ready"

    @property
    def names(self) -> str:
        """Member and channel display names."""
        return f"{self.base}:names"

    @staticmethod
    def _period(period: Period, at: datetime) -> str:
        if period is Period.ALL:
            return "all"
        year, week = iso_week_of(at)
        return f"w:{year}-{week:02d}"


class RedisLeaderboard:
    """Leaderboard port on Redis ZSETs, falling back to SQL while Redis is away."""

    def __init__(self, redis: Redis, sql: SqlLeaderboard, clock: Clock,
                 prefix: str = "") -> None:
        self.redis, self.sql, self.clock, self.prefix = redis, sql, clock, prefix
        self.stale: set[int] = set()

    def keys(self, workspace_id: int) -> Keys:
        """The tenant's keys."""
        return Keys(self.prefix, workspace_id)

    async def record(self, score: Score) -> None:
        """Write the member's and the channel's SQL sums after an answer (ZADD GT).

        Writing sums instead of adding points makes every write idempotent: a retry, or a
        write racing a rebuild, can never count an answer twice, and GT keeps the newest
        (largest) sum when two writes cross, since points only ever grow.
        """
        if score.workspace_id in self.stale:
            return  # the rebuild will bring this answer in from SQL
        keys, at = self.keys(score.workspace_id), score.at
        try:
            sums = await self.sql.member_sums(score.workspace_id, score.member_id, at)
            squad = (await self.sql.channel_sums(score.workspace_id, score.channel_id, at)
                     if score.squad else {})
            weekly = [keys.board(Period.WEEK, at)]
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.exists(keys.ready)
                pipe.hset(keys.names, f"m:{score.member_id}", score.member_name)
                for period in Period:
                    if sums[period] > 0:
                        pipe.zadd(keys.board(period, at), {str(score.member_id): sums[period]},
                                  gt=True)
                    if score.squad:
                        pipe.zadd(keys.squads(period, at), {str(score.channel_id): squad[period]},
                                  gt=True)
                        pipe.sadd(keys.squad_members(period, at, score.channel_id),
                                  score.member_id)
                if score.squad:
                    weekly += [keys.squads(Period.WEEK, at),
                               keys.squad_members(Period.WEEK, at, score.channel_id)]
                expire_at = week_bounds(at)[1] + WEEK_KEY_LIFETIME
                for key in weekly:
                    pipe.expireat(key, expire_at)
                was_ready, *_ = await pipe.execute()
            if not was_ready:  # Redis came back empty: one member's sums are not a board
                await self.rebuild(score.workspace_id)
        except (RedisError, OSError) as error:
            self._went_away(score.workspace_id, error)

    def _went_away(self, workspace_id: int, error: Exception) -> None:
        log.warning("Redis failed (%s); workspace %s reads from SQL until rebuilt", error,
                    workspace_id)
        self.stale.add(workspace_id)

    async def _fresh(self, workspace_id: int) -> bool:
        """True when Redis can answer for the tenant, rebuilding it first if it was stale
        here or lost its keys (a Redis restart that no write of ours noticed)."""
        try:
            if workspace_id in self.stale or not await self.redis.exists(
                    self.keys(workspace_id).ready):
                await self.rebuild(workspace_id)
        except (RedisError, OSError) as error:
            self._went_away(workspace_id, error)
            return False
        return True

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        """Top members, from Redis when it is fresh."""
        if await self._fresh(workspace_id):
            try:
                keys = self.keys(workspace_id)
                top = await self._scored(keys.board(period, at), limit)
                names = await self._names(keys, [f"m:{m}" for m, _ in top])
                return ranked([(m, names[f"m:{m}"], p, 1) for m, p in top])
            except (RedisError, OSError) as error:
                self._went_away(workspace_id, error)
        return await self.sql.members(workspace_id, period, at, limit)

    async def rank_of(self, workspace_id: int, period: Period, at: datetime,
                      member_id: int) -> Standing | None:
        """A member's rank: one more than the number of members with more points."""
        if await self._fresh(workspace_id):
            try:
                keys = self.keys(workspace_id)
                key = keys.board(period, at)
                points = await self.redis.zscore(key, member_id)
                if points is None:
                    return None
                higher = int(await self.redis.zcount(key, f"({points}", "+inf"))
                name = (await self._names(keys, [f"m:{member_id}"]))[f"m:{member_id}"]
                return Standing(higher + 1, member_id, name, points)
            except (RedisError, OSError) as error:
                self._went_away(workspace_id, error)
        return await self.sql.rank_of(workspace_id, period, at, member_id)

    async def squads(self, workspace_id: int, period: Period, at: datetime) -> list[Standing]:
        """Channels by points per active member."""
        if await self._fresh(workspace_id):
            try:
                keys = self.keys(workspace_id)
                channels = await self._scored(keys.squads(period, at))
                names = await self.sql.channel_names(workspace_id)
                rows = []
                for channel, points in channels:
                    active = await self.redis.scard(keys.squad_members(period, at, channel))
                    rows.append((channel, names.get(channel, "?"),
                                 per_member(int(points), active), active))
                return ranked(rows)
            except (RedisError, OSError) as error:
                self._went_away(workspace_id, error)
        return await self.sql.squads(workspace_id, period, at)

    async def movers(self, workspace_id: int, at: datetime, limit: int) -> list[tuple[str, int]]:
        """Biggest climbers of the all-time board this week."""
        if await self._fresh(workspace_id):
            try:
                keys = self.keys(workspace_id)
                all_time = await self._scored(keys.board(Period.ALL, at))
                week = dict(await self._scored(keys.board(Period.WEEK, at)))
                names = await self._names(keys, [f"m:{m}" for m, _ in all_time])
                return movers({m: (names[f"m:{m}"], p) for m, p in all_time}, week, limit)
            except (RedisError, OSError) as error:
                self._went_away(workspace_id, error)
        return await self.sql.movers(workspace_id, at, limit)

    async def _scored(self, key: str, top: int | None = None) -> list[tuple[int, float]]:
        """(id, score) pairs, highest first; the `top` best only when given."""
        pairs = cast(list[tuple[bytes, float]], await self.redis.zrevrange(
            key, 0, -1 if top is None else top - 1, withscores=True))
        return [(int(member), float(score)) for member, score in pairs]

    async def _names(self, keys: Keys, fields: list[str]) -> dict[str, str]:
        if not fields:
            return {}
        values = await self.redis.hmget(keys.names, fields)
        return {f: (v.decode() if isinstance(v, bytes) else v) or "?"
                for f, v in zip(fields, values, strict=True)}

    async def rebuild(self, workspace_id: int) -> None:
        """Make the tenant's keys equal SQL's sums exactly: this week and all time.

        The keys are replaced in one transaction from a snapshot of SQL; then the tenant takes
        writes again and a second read of SQL tops up anything committed meanwhile, so an
        answer that raced the rebuild is never left out.
        """
        at = self.clock.now()
        keys = self.keys(workspace_id)
        old = [key async for key in self.redis.scan_iter(match=f"{keys.base}:*")]
        async with self.redis.pipeline(transaction=True) as pipe:
            if old:
                pipe.delete(*old)
            await self._write_sums(pipe, workspace_id, at)
            pipe.set(keys.ready, 1)
            await pipe.execute()
        self.stale.discard(workspace_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            await self._write_sums(pipe, workspace_id, at, gt=True)
            await pipe.execute()
        log.info("rebuilt the leaderboards of workspace %s from SQL", workspace_id)

    async def _write_sums(self, pipe: Pipeline, workspace_id: int, at: datetime,
                          gt: bool = False) -> None:
        """Queue every SQL sum of the tenant (for this week and all time) on a pipeline."""
        keys = self.keys(workspace_id)
        weekly: list[str] = [keys.board(Period.WEEK, at), keys.squads(Period.WEEK, at)]
        for period in Period:
            members = await self.sql.member_points(workspace_id, period, at)
            for member_id, (name, points) in members.items():
                pipe.hset(keys.names, f"m:{member_id}", name)
                pipe.zadd(keys.board(period, at), {str(member_id): points}, gt=gt)
            squads = await self.sql.squad_points(workspace_id, period, at)
            for channel_id, (_, points, active) in squads.items():
                pipe.zadd(keys.squads(period, at), {str(channel_id): points}, gt=gt)
                pipe.sadd(keys.squad_members(period, at, channel_id), *active)
                if period is Period.WEEK:
                    weekly.append(keys.squad_members(period, at, channel_id))
        expire_at = week_bounds(at)[1] + WEEK_KEY_LIFETIME
        for key in weekly:
            pipe.expireat(key, expire_at)

    async def heal(self) -> None:
        """Rebuild every stale tenant that Redis now answers for (called periodically)."""
        for workspace_id in sorted(self.stale):
            try:
                await self.rebuild(workspace_id)
            except (RedisError, OSError):
                return
