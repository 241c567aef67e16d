"""A worker's share of the Discord shards: a fair part of the pool, never a shard another
worker holds, everything given back when the locks are lost."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.platforms.discord_bot.shards import Shard, ShardKeeper


class SharedLocks:
    """Advisory locks as PostgreSQL keeps them, for workers in one test."""

    def __init__(self) -> None:
        self.holders: dict[int, object] = {}
        self.workers: set[object] = set()


class Locks:
    """One worker's view of the shared locks."""

    def __init__(self, shared: SharedLocks) -> None:
        self.shared, self.lost = shared, False

    async def open(self) -> None:
        self.lost = False
        self.shared.workers.add(self)

    async def claim(self, shard: int) -> bool:
        return self.shared.holders.setdefault(shard, self) is self

    async def release(self, shard: int) -> None:
        if self.shared.holders.get(shard) is self:
            del self.shared.holders[shard]

    async def workers(self) -> int:
        return len(self.shared.workers)

    async def alive(self) -> bool:
        return not self.lost

    async def close(self) -> None:
        self.shared.workers.discard(self)
        for shard in [s for s, holder in self.shared.holders.items() if holder is self]:
            del self.shared.holders[shard]


class _Client:
    ws: Any = None

    async def close(self) -> None:
        pass


async def _open(shard_id: int) -> Shard:
    return Shard(shard_id, _Client(), asyncio.create_task(asyncio.sleep(3600)))  # type: ignore[arg-type]


def keeper(shared: SharedLocks, count: int = 4, per_worker: int | None = None) -> ShardKeeper:
    return ShardKeeper(Locks(shared), count, per_worker, _open, every=60, settle=0)


async def test_two_workers_take_half_of_the_pool_each_and_never_the_same_shard() -> None:
    shared = SharedLocks()
    first, second = keeper(shared), keeper(shared)
    await first.locks.open()
    await second.locks.open()
    await first.tick()
    await second.tick()
    assert first.held() == [0, 1] and second.held() == [2, 3]
    await first.stop()
    await second.stop()


async def test_a_dead_workers_shards_go_to_the_survivor_on_its_next_look() -> None:
    shared = SharedLocks()
    first, second = keeper(shared), keeper(shared)
    await first.locks.open()
    await second.locks.open()
    await first.tick()
    await second.tick()
    await first.locks.close()  # its connection is gone: PostgreSQL released everything
    await second.tick()
    assert second.held() == [0, 1, 2, 3]
    await second.stop()
    await first.stop()


async def test_shards_per_worker_caps_what_one_worker_takes() -> None:
    alone = keeper(SharedLocks(), count=4, per_worker=3)
    await alone.locks.open()
    await alone.tick()
    assert alone.held() == [0, 1, 2]
    await alone.stop()


async def test_a_worker_that_lost_its_locks_disconnects_every_shard_first() -> None:
    shared = SharedLocks()
    worker = keeper(shared)
    await worker.locks.open()
    await worker.tick()
    worker.locks.lost = True  # type: ignore[attr-defined]
    await worker.tick()
    assert worker.held() == [] and shared.holders == {}
    await worker.tick()
    assert worker.held() == [0, 1, 2, 3], "claimed again on a fresh connection"
    await worker.stop()
