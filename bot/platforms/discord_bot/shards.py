"""The Discord shards this worker holds: claimed from the pool, connected, given back.

Each claimed shard gets its own gateway client; a shard is connected only while its lock is
held, and its gateway is closed before the lock is released, so no two processes ever hold one
shard's session at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.adapters.shard_locks import ShardLocks
from bot.platforms.discord_bot.client import QuizClient

log = logging.getLogger(__name__)
SETTLE = 3.0  # seconds for workers started together to see each other before claiming


@dataclass
class Shard:
    """One claimed shard: its client and the task that keeps its gateway connected."""

    id: int
    client: QuizClient
    gateway: asyncio.Task[None]

    def connected(self) -> bool:
        """Whether the gateway session is up (READY received, socket open)."""
        ws = self.client.ws
        return (self.client.is_ready() and not self.client.is_closed() and ws is not None
                and ws.open)

    async def close(self) -> None:
        """Close the gateway, then stop the task (a reconnect backoff would keep it waiting)."""
        with contextlib.suppress(Exception):
            await self.client.close()
        self.gateway.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.gateway


OpenShard = Callable[[int], Awaitable[Shard]]


class ShardKeeper:
    """Claims up to a fair share of the pool, keeps those shards connected, takes over orphans."""

    def __init__(self, locks: ShardLocks, count: int, per_worker: int | None,
                 open_shard: OpenShard, every: float, settle: float = SETTLE) -> None:
        self.locks, self.count, self.open_shard, self.every = locks, count, open_shard, every
        self.settle = settle
        self.per_worker = min(per_worker or count, count)
        self.shards: dict[int, Shard] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Announce this worker, then claim in the background."""
        await self.locks.open()
        self._task = asyncio.create_task(self._run(), name="discord-shards")

    async def stop(self) -> None:
        """Disconnect every shard, then release the locks."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._drop_all()
        await self.locks.close()

    def held(self) -> list[int]:
        """The shard ids this worker holds."""
        return sorted(self.shards)

    def disconnected(self) -> list[int]:
        """Held shards whose gateway is not (yet) connected."""
        return [i for i, shard in sorted(self.shards.items()) if not shard.connected()]

    async def tick(self) -> None:
        """Give back what broke, then claim free shards up to this worker's share."""
        if not await self.locks.alive():
            log.error("lost the database connection that holds the Discord shard locks; "
                      "disconnecting every shard until they are claimed again")
            await self._drop_all()
            await self.locks.close()
            await self.locks.open()
            return
        for shard in [s for s in self.shards.values() if s.gateway.done()]:
            log.warning("Discord shard %s lost its gateway; giving it back", shard.id)
            await self._drop(shard.id)
        share = min(self.per_worker, math.ceil(self.count / await self.locks.workers()))
        for shard_id in range(self.count):
            if len(self.shards) >= share:
                break
            if shard_id not in self.shards and await self.locks.claim(shard_id):
                try:
                    self.shards[shard_id] = await self.open_shard(shard_id)
                except Exception:
                    log.exception("Discord shard %s could not start", shard_id)
                    await self.locks.release(shard_id)
                    continue
                log.info("Discord shard %s of %s claimed", shard_id, self.count)

    async def _run(self) -> None:
        await asyncio.sleep(self.settle)
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("claiming Discord shards failed; trying again")
            await asyncio.sleep(self.every)

    async def _drop(self, shard_id: int) -> None:
        shard = self.shards.pop(shard_id)
        await shard.close()
        with contextlib.suppress(Exception):
            await self.locks.release(shard_id)

    async def _drop_all(self) -> None:
        for shard_id in list(self.shards):
            await self._drop(shard_id)
