"""Leaderboards in Redis sorted sets, with SQL as the truth behind them.

Every answer is committed to SQL before `record` adds its points, once, by a Lua script keyed
by the answer's id. A board exists only with its `ready` key, written by a rebuild from SQL
together with the rebuild's high-water mark: the largest answer id such that every answer up
to it is in the rebuilt sums. The script ignores answers up to the mark and remembers the ids
above it, so neither a retry nor an answer racing a rebuild is counted twice or lost.

If Redis fails, the answer still counts: this process reads that tenant from SQL and keeps
trying to rebuild in the background. If Redis restarts empty, the missing `ready` key tells
every process, on its next read or write, to rebuild from SQL.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, RedisError, TimeoutError

from bot.adapters.sql_leaderboard import SqlLeaderboard, per_member, period_key, week_bounds
from bot.domain.commands import Period
from bot.domain.ports import Clock, Score
from bot.domain.standings import Standing, movers, ranked

log = logging.getLogger(__name__)
WEEK_KEY_LIFETIME = timedelta(weeks=5)  # weekly keys outlive their week, then go
SEEN_LIFETIME = 86_400  # seconds an answer id is remembered above the high-water mark
SEEN_BUCKET = 100_000  # answer ids per set of remembered ids
RETRY_EVERY = 1.0  # seconds between rebuild attempts while Redis is away

# KEYS: ready, week board, all-time board, names, week squads, all-time squads,
#       week squad members, all-time squad members
# ARGV: answer id, member id, points, channel id, member name, week expiry (unix), squad 0/1,
#       prefix of the remembered-ids sets
# Returns -1 when the board is missing (Redis lost it), 0 when already counted, 1 when added.
# (The remembered-ids key is derived here from the rebuild's generation, so this script runs
# on a single Redis, not on a cluster.)
RECORD = """
local ready = redis.call('GET', KEYS[1])
if not ready then return -1 end
local sep = string.find(ready, ':', 1, true)
local mark = tonumber(string.sub(ready, 1, sep - 1))
local id = tonumber(ARGV[1])
if id <= mark then return 0 end
local seen = ARGV[8] .. string.sub(ready, sep + 1) .. ':' .. math.floor(id / 100000)
if redis.call('SADD', seen, ARGV[1]) == 0 then return 0 end
redis.call('EXPIRE', seen, 86400)
local points = tonumber(ARGV[3])
redis.call('HSET', KEYS[4], 'm:' .. ARGV[2], ARGV[5])
if points > 0 then
  redis.call('ZINCRBY', KEYS[2], points, ARGV[2])
  redis.call('ZINCRBY', KEYS[3], points, ARGV[2])
  redis.call('EXPIREAT', KEYS[2], ARGV[6])
end
if ARGV[7] == '1' then
  redis.call('ZINCRBY', KEYS[5], points, ARGV[4])
  redis.call('ZINCRBY', KEYS[6], points, ARGV[4])
  redis.call('SADD', KEYS[7], ARGV[2])
  redis.call('SADD', KEYS[8], ARGV[2])
  redis.call('EXPIREAT', KEYS[5], ARGV[6])
  redis.call('EXPIREAT', KEYS[7], ARGV[6])
end
return 1
"""

# KEYS: ready, board, names. ARGV: member id ('' for none), how many from the top.
# Returns {ready 0/1, top as [member, score, ...], their names, the member's score or false,
# members above them, the member's name}: a board and a rank in one round trip each.
READ = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local top = {}
local names = {}
if tonumber(ARGV[2]) > 0 then
  top = redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
  local fields = {}
  for i = 1, #top, 2 do fields[#fields + 1] = 'm:' .. top[i] end
  if #fields > 0 then names = redis.call('HMGET', KEYS[3], unpack(fields)) end
end
local score = false
local higher = 0
local name = false
if ARGV[1] ~= '' then
  score = redis.call('ZSCORE', KEYS[2], ARGV[1])
  if score then
    higher = redis.call('ZCOUNT', KEYS[2], '(' .. score, '+inf')
    name = redis.call('HGET', KEYS[3], 'm:' .. ARGV[1])
  end
end
return {1, top, names, score, higher, name}
"""


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
        return f"{self.base}:{period_key(period, at)}"

    def squads(self, period: Period, at: datetime) -> str:
        """Channels' points."""
        return f"{self.base}:squad:{period_key(period, at)}"

    def squad_members(self, period: Period, at: datetime, channel_id: int) -> str:
        """The active members of a channel in a period."""
        return f"{self.base}:squad:{period_key(period, at)}:members:{channel_id}"

    @property
    def ready(self) -> str:
        """'{high-water mark}:{generation}', set by a rebuild; absent when Redis lost the
        tenant's boards."""
        return f"{self.base}:ready"

    @property
    def names(self) -> str:
        """Member display names."""
        return f"{self.base}:names"

    @property
    def seen(self) -> str:
        """Prefix of the sets of answer ids counted since the last rebuild."""
        return f"{self.base}:seen:"


@dataclass(frozen=True)
class Board:
    """What one read of a board returns: (member, name, points) from the top, and one
    member's points, how many have more, and their name."""

    top: list[tuple[int, str, float]]
    points: float | None
    higher: int
    name: str


def _text(value: object) -> str:
    return (value.decode() if isinstance(value, bytes) else str(value or "")) or "?"


class RedisLeaderboard:
    """Leaderboard port on Redis ZSETs, falling back to SQL while Redis is away."""

    def __init__(self, redis: Redis, sql: SqlLeaderboard, clock: Clock,
                 prefix: str = "") -> None:
        self.redis, self.sql, self.clock, self.prefix = redis, sql, clock, prefix
        self.stale: set[int] = set()
        self._record = redis.register_script(RECORD)
        self._read = redis.register_script(READ)
        self._rebuilding: dict[int, asyncio.Task[None]] = {}
        self._healer: asyncio.Task[None] | None = None

    def keys(self, workspace_id: int) -> Keys:
        """The tenant's keys."""
        return Keys(self.prefix, workspace_id)

    async def record(self, score: Score) -> None:
        """Add one committed answer's points, once per answer id, in one round trip."""
        if score.workspace_id in self.stale:
            return  # this process reads SQL for the tenant until the rebuild brings it in
        try:
            added = await self._apply(score)
        except (RedisError, OSError) as error:
            self._went_away(score.workspace_id, error)
            return
        if added < 0:  # Redis lost the board: rebuild it, without keeping this click waiting
            self.rebuild_soon(score.workspace_id)

    async def _apply(self, score: Score, pipe: Pipeline | None = None) -> int:
        keys, at = self.keys(score.workspace_id), score.at
        expire_at = int((week_bounds(at)[1] + WEEK_KEY_LIFETIME).timestamp())
        if pipe is not None:  # queued: the reply comes with the pipeline's
            await self._record(client=pipe, keys=self._record_keys(keys, score),
                               args=self._record_args(keys, score, expire_at))
            return 0
        return int(await self._record(keys=self._record_keys(keys, score),
                                      args=self._record_args(keys, score, expire_at)))

    @staticmethod
    def _record_keys(keys: Keys, score: Score) -> list[str]:
        at = score.at
        return [keys.ready, keys.board(Period.WEEK, at), keys.board(Period.ALL, at),
                keys.names, keys.squads(Period.WEEK, at), keys.squads(Period.ALL, at),
                keys.squad_members(Period.WEEK, at, score.channel_id),
                keys.squad_members(Period.ALL, at, score.channel_id)]

    @staticmethod
    def _record_args(keys: Keys, score: Score, expire_at: int) -> list[str | int]:
        return [score.answer_id, score.member_id, score.points, score.channel_id,
                score.member_name, expire_at, int(score.squad), keys.seen]

    def _went_away(self, workspace_id: int, error: Exception) -> None:
        if workspace_id not in self.stale:
            log.warning("Redis failed (%s); workspace %s reads from SQL until rebuilt", error,
                        workspace_id)
        self.stale.add(workspace_id)
        if self._healer is None or self._healer.done():
            self._healer = asyncio.create_task(self._heal_until_done())

    async def _heal_until_done(self) -> None:
        """Retry the rebuild of every stale tenant until Redis takes it."""
        while self.stale:
            try:
                await self.heal()
            except Exception:  # SQL failed: try again with the next round
                log.exception("rebuilding stale leaderboards failed")
            if self.stale:
                await asyncio.sleep(RETRY_EVERY)

    def rebuild_soon(self, workspace_id: int) -> asyncio.Task[None]:
        """Start a rebuild of the tenant unless one is running in this process already."""
        task = self._rebuilding.get(workspace_id)
        if task is None or task.done():
            task = asyncio.create_task(self._rebuild_quietly(workspace_id))
            self._rebuilding[workspace_id] = task
        return task

    async def _rebuild_quietly(self, workspace_id: int) -> None:
        try:
            await self.rebuild(workspace_id)
        except (RedisError, OSError) as error:
            self._went_away(workspace_id, error)
        except Exception:  # SQL failed: the next read or write tries again
            log.exception("rebuilding the leaderboards of workspace %s failed", workspace_id)

    async def idle(self) -> None:
        """Wait until the rebuilds this process started have finished (not the retries while
        Redis is away)."""
        while running := [t for t in self._rebuilding.values() if not t.done()]:
            await asyncio.gather(*running, return_exceptions=True)

    async def aclose(self) -> None:
        """Stop background rebuilds (a later read or write starts them again)."""
        tasks = [t for t in [*self._rebuilding.values(), self._healer] if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _board(self, workspace_id: int, period: Period, at: datetime, member_id: int | None,
                     limit: int) -> Board | None:
        """The top of a board and one member's place, from Redis in one round trip, or None
        when SQL must answer (Redis away, or the board is being rebuilt)."""
        if workspace_id in self.stale:
            return None
        keys = self.keys(workspace_id)
        try:
            reply = await self._read(keys=[keys.ready, keys.board(period, at), keys.names],
                                     args=["" if member_id is None else member_id, limit])
        except (RedisError, OSError) as error:
            self._went_away(workspace_id, error)
            return None
        if not reply[0]:  # Redis lost the board: SQL answers until it is rebuilt
            self.rebuild_soon(workspace_id)
            return None
        flat, names = reply[1], reply[2]
        top = [(int(flat[i]), _text(names[i // 2]), float(flat[i + 1]))
               for i in range(0, len(flat), 2)]
        score = None if reply[3] is None else float(reply[3])
        return Board(top, score, int(reply[4]), _text(reply[5]))

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        """Top members, from Redis when it has the board."""
        found = await self._board(workspace_id, period, at, None, limit)
        if found is not None:
            return ranked([(m, name, p, 1) for m, name, p in found.top])
        return await self.sql.members(workspace_id, period, at, limit)

    async def rank_of(self, workspace_id: int, period: Period, at: datetime,
                      member_id: int) -> Standing | None:
        """A member's rank: one more than the number of members with more points."""
        found = await self._board(workspace_id, period, at, member_id, 0)
        if found is not None:
            if found.points is None:
                return None
            return Standing(found.higher + 1, member_id, found.name, found.points)
        return await self.sql.rank_of(workspace_id, period, at, member_id)

    async def squads(self, workspace_id: int, period: Period, at: datetime) -> list[Standing]:
        """Channels by points per active member."""
        if await self._board(workspace_id, period, at, None, 1) is not None:
            try:
                keys = self.keys(workspace_id)
                channels = await self._scored(keys.squads(period, at))
                names = await self.sql.channel_names(workspace_id)
                async with self.redis.pipeline(transaction=False) as pipe:
                    for channel, _ in channels:
                        pipe.scard(keys.squad_members(period, at, channel))
                    sizes = await pipe.execute()
                return ranked([(channel, names.get(channel, "?"),
                                per_member(int(points), active), active)
                               for (channel, points), active in zip(channels, sizes,
                                                                    strict=True)])
            except (RedisError, OSError) as error:
                self._went_away(workspace_id, error)
        return await self.sql.squads(workspace_id, period, at)

    async def movers(self, workspace_id: int, at: datetime, limit: int) -> list[tuple[str, int]]:
        """Biggest climbers of the all-time board this week."""
        if await self._board(workspace_id, Period.ALL, at, None, 1) is not None:
            try:
                keys = self.keys(workspace_id)
                all_time = await self._scored(keys.board(Period.ALL, at))
                week = dict(await self._scored(keys.board(Period.WEEK, at)))
                names = await self._names(workspace_id, [m for m, _ in all_time])
                return movers({m: (names[m], p) for m, p in all_time}, week, limit)
            except (RedisError, OSError) as error:
                self._went_away(workspace_id, error)
        return await self.sql.movers(workspace_id, at, limit)

    async def _scored(self, key: str) -> list[tuple[int, float]]:
        """(id, score) pairs, highest first."""
        pairs = cast(list[tuple[bytes, float]],
                     await self.redis.zrevrange(key, 0, -1, withscores=True))
        return [(int(member), float(score)) for member, score in pairs]

    async def _names(self, workspace_id: int, members: list[int]) -> dict[int, str]:
        if not members:
            return {}
        values = await self.redis.hmget(self.keys(workspace_id).names,
                                        [f"m:{m}" for m in members])
        return {m: (v.decode() if isinstance(v, bytes) else v) or "?"
                for m, v in zip(members, values, strict=True)}

    async def rebuild(self, workspace_id: int) -> None:
        """Make the tenant's keys equal SQL's sums exactly: this week and all time.

        1. Take the high-water mark: every answer up to it is committed (or never will be).
        2. Replace the keys, in one transaction, with the sums of the answers up to the mark,
           and the mark itself with a new generation; the record script ignores ids up to it.
        3. Add the answers above the mark through the record script. An answer whose own
           record came before step 2 finished found no board and was skipped; it had
           committed by then, so step 3 reads it. The script counts each id once.
        """
        started = time.perf_counter()
        mark = await self.sql.settled_high_water()
        at = self.clock.now()
        keys = self.keys(workspace_id)
        members = {period: await self.sql.answer_sums(workspace_id, period, at, mark)
                   for period in Period}
        squads = {period: await self.sql.squad_points(workspace_id, period, at, up_to=mark)
                  for period in Period}
        old = {key async for key in self.redis.scan_iter(match=f"{keys.base}:*")}
        old |= {keys.board(p, at) for p in Period} | {keys.squads(p, at) for p in Period}
        expire_at = week_bounds(at)[1] + WEEK_KEY_LIFETIME
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(*old)
            names = {f"m:{m}": name for sums in members.values()
                     for m, (name, _) in sums.items()}
            if names:
                pipe.hset(keys.names, mapping=names)  # type: ignore[arg-type]
            for period in Period:
                if members[period]:
                    pipe.zadd(keys.board(period, at),
                              {str(m): points for m, (_, points) in members[period].items()})
                for channel_id, (_, points, active) in squads[period].items():
                    pipe.zadd(keys.squads(period, at), {str(channel_id): points})
                    pipe.sadd(keys.squad_members(period, at, channel_id), *active)
                    if period is Period.WEEK:
                        pipe.expireat(keys.squad_members(period, at, channel_id), expire_at)
            for key in (keys.board(Period.WEEK, at), keys.squads(Period.WEEK, at)):
                pipe.expireat(key, expire_at)
            pipe.set(keys.ready, f"{mark}:{uuid.uuid4().hex[:12]}")
            await pipe.execute()
        self.stale.discard(workspace_id)
        late = await self.sql.answers_after(workspace_id, mark)
        for start in range(0, len(late), 500):
            async with self.redis.pipeline(transaction=False) as pipe:
                for score in late[start:start + 500]:
                    await self._apply(score, pipe)
                await pipe.execute()
        log.info("rebuilt the leaderboards of workspace %s from SQL in %.2f s", workspace_id,
                 time.perf_counter() - started)

    async def heal(self) -> None:
        """Rebuild every stale tenant that Redis now answers for."""
        for workspace_id in sorted(self.stale):
            try:
                await self.rebuild(workspace_id)
            except (RedisError, OSError):
                return
