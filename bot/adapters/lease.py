"""A leader lease in Redis, so only one of several processes runs the schedule."""

from __future__ import annotations

import contextlib
import logging
import uuid
from datetime import timedelta

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Renew only our own lease, or take a free one: one round trip, no race between GET and SET.
_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Lease:
    """SET NX with expiry, renewed by its holder; when the holder dies it expires and passes on.

    While Redis cannot be reached, every holder acts (see `hold`)."""

    def __init__(self, redis: Redis, key: str = "quizbot:scheduler:leader",
                 ttl: timedelta = timedelta(seconds=30), holder: str | None = None) -> None:
        self.redis, self.key, self.ttl = redis, key, ttl
        self.holder = holder or uuid.uuid4().hex
        self.is_leader = False

    async def hold(self) -> bool:
        """Take or renew the lease; False (not leader) when another holds it or Redis is away."""
        try:
            won = await self.redis.eval(_HOLD, 1, self.key, self.holder,
                                        int(self.ttl.total_seconds() * 1000))
        except (RedisError, OSError) as error:
            # Without Redis nobody can know who leads. Every process acts, as a single one
            # does without Redis: the database's unique keys make a second post harmless,
            # while stepping down would let every process stay silent.
            if not self.is_leader:
                log.warning("Redis is unreachable (%s); scheduling without the lease", error)
            self.is_leader = True
            return True
        if bool(won) != self.is_leader:
            log.info("scheduler lease %s", "taken" if won else "lost")
        self.is_leader = bool(won)
        return self.is_leader

    async def release(self) -> None:
        """Give the lease up so another process takes over at once."""
        with contextlib.suppress(RedisError, OSError):
            await self.redis.eval(_RELEASE, 1, self.key, self.holder)
        self.is_leader = False
