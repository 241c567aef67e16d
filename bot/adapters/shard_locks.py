"""Who holds which Discord shard: PostgreSQL session advisory locks on one dedicated connection.

A lock lives exactly as long as the connection that took it, so a worker that dies (SIGKILL, a
lost machine) frees its shards as soon as PostgreSQL notices the connection is gone; TCP
keepalives bound that to well under a minute for a machine that vanishes without closing it.
"""

from __future__ import annotations

import random
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# Two-key advisory locks: (SHARD_CLASS, shard id) per shard, (WORKER_CLASS, random) per worker.
SHARD_CLASS = 0x71756973  # "quis"
WORKER_CLASS = 0x71756977  # "quiw"
# The server drops a connection whose peer stopped answering after about 10 + 5 × 3 seconds.
KEEPALIVES = ("SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5",
              "SET tcp_keepalives_count = 3")


class ShardLocks(Protocol):
    """Claims shards so that each is held by one process at a time."""

    async def open(self) -> None:
        """Announce this worker."""
        ...

    async def claim(self, shard: int) -> bool:
        """Take the shard if nobody holds it; True if this process now holds it."""
        ...

    async def release(self, shard: int) -> None:
        """Let another process take the shard."""
        ...

    async def workers(self) -> int:
        """How many workers are announced now, this one included."""
        ...

    async def alive(self) -> bool:
        """Whether the locks taken so far are still held."""
        ...

    async def close(self) -> None:
        """Release everything."""
        ...


class LocalShardLocks:
    """SQLite runs one process: every shard is this process's to take."""

    def __init__(self) -> None:
        self.held: set[int] = set()

    async def open(self) -> None:
        """Nothing to announce."""

    async def claim(self, shard: int) -> bool:
        """Always granted."""
        self.held.add(shard)
        return True

    async def release(self, shard: int) -> None:
        """Forget the shard."""
        self.held.discard(shard)

    async def workers(self) -> int:
        """Only this one."""
        return 1

    async def alive(self) -> bool:
        """Nothing can be lost."""
        return True

    async def close(self) -> None:
        """Forget everything."""
        self.held.clear()


class PostgresShardLocks:
    """Session advisory locks held on one connection that lives as long as this worker."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._connection: AsyncConnection | None = None

    async def open(self) -> None:
        """Open the dedicated connection and announce this worker under a random key."""
        connection = await self.engine.connect()
        # Autocommit: an idle connection must not sit in an open transaction for hours.
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in KEEPALIVES:
            await connection.execute(text(statement))
        self._connection = connection
        while not await self._try(WORKER_CLASS, random.randrange(1, 2**31)):
            pass

    async def claim(self, shard: int) -> bool:
        """pg_try_advisory_lock: never waits for another worker."""
        return await self._try(SHARD_CLASS, shard)

    async def release(self, shard: int) -> None:
        """pg_advisory_unlock."""
        await self._scalar("SELECT pg_advisory_unlock(:k, :v)", k=SHARD_CLASS, v=shard)

    async def workers(self) -> int:
        """Counted from pg_locks: one worker lock per live worker, in this database."""
        count = await self._scalar(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid::bigint = :k AND objsubid = 2 AND database ="
            " (SELECT oid FROM pg_database WHERE datname = current_database())",
            k=WORKER_CLASS)
        return max(1, count if isinstance(count, int) else 0)

    async def alive(self) -> bool:
        """A round trip on the dedicated connection: if it broke, the locks are gone with it."""
        try:
            await self._scalar("SELECT 1")
        except Exception:
            return False
        return True

    async def close(self) -> None:
        """Closing the connection releases every lock it holds."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                await connection.invalidate()

    async def _try(self, key: int, value: int) -> bool:
        return bool(await self._scalar("SELECT pg_try_advisory_lock(:k, :v)", k=key, v=value))

    async def _scalar(self, sql: str, **params: int) -> object:
        if self._connection is None:
            raise RuntimeError("the shard locks are not open")
        return await self._connection.scalar(text(sql), params)


def shard_locks_for(engine: AsyncEngine) -> ShardLocks:
    """Advisory locks on PostgreSQL; SQLite is one process and takes every shard."""
    if engine.dialect.name == "postgresql":
        return PostgresShardLocks(engine)
    return LocalShardLocks()
