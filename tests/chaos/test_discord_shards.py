"""Two worker processes share DISCORD_SHARD_COUNT=4: each shard is connected by exactly one of
them, and when one is killed the other takes its shards over."""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from tests.chaos.processes import Bot
from tests.chaos.test_posts_survive_crashes import fresh_database
from tests.chaos.test_starting_together import migrate
from tests.platforms.discord.fake_api import FakeDiscord

SHARDS = 4


def worker(database: str, discord: FakeDiscord, log: Path, most: int | None = None) -> Bot:
    """A `quizbot run --role worker` on the fake Discord, looking for free shards every second
    (holding at most `most` of them, when given)."""
    limit = {"DISCORD_SHARDS_PER_WORKER": str(most)} if most else {}
    return Bot({"DATABASE_URL": database, "DISCORD_TOKEN": "test-token",
                "DISCORD_API_URL": discord.url, "DISCORD_GATEWAY_URL": discord.gateway_url,
                "DISCORD_SHARD_COUNT": str(SHARDS), "SHARD_CLAIM_SECONDS": "1", **limit},
               log, ("run", "--role", "worker"))


async def held(bot: Bot) -> set[int] | None:
    """The shards a worker holds, once they are all connected (None until then)."""
    status, ready = await bot.get("/readyz")
    if status != 200:
        return None
    detail = ready["checks"]["discord"]["detail"]
    return {int(n) for n in re.findall(r"\d+", detail)}


async def until(condition: Callable[[], Awaitable[bool]], timeout: float = 60) -> None:
    """Wait until the condition holds."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "it never happened"
        await asyncio.sleep(0.2)


async def test_two_workers_split_the_shards_and_one_takes_over_when_the_other_dies(
        tmp_path: Path) -> None:
    discord = FakeDiscord()
    await discord.start()
    bots: list[Bot] = []
    try:
        async with fresh_database() as database:
            assert (await migrate(database))[0] == 0
            # The first holds half at most; the second, started once it does, takes the rest.
            bots = [worker(database, discord, tmp_path / "worker1.log", most=SHARDS // 2),
                    worker(database, discord, tmp_path / "worker2.log")]
            first, second = bots
            first.start()
            await first.ready()

            async def first_holds_half() -> bool:
                return len(await held(first) or ()) == SHARDS // 2

            await until(first_holds_half)
            second.start()
            await second.ready()

            async def split_between_them() -> bool:
                a, b = await held(first), await held(second)
                if not a or not b:  # not yet connected, or holding none
                    return False
                return a | b == set(range(SHARDS))

            await until(split_between_them)
            mine, theirs = await held(first), await held(second)
            assert mine and theirs and not mine & theirs, (mine, theirs)
            assert [discord.identified(n) for n in range(SHARDS)] == [1] * SHARDS

            first.signal(signal.SIGKILL)

            async def second_holds_all() -> bool:
                return await held(second) == set(range(SHARDS))

            started = time.monotonic()
            await until(second_holds_all)
            assert time.monotonic() - started < 60
            assert [discord.identified(n) for n in range(SHARDS)] == [
                2 if n in mine else 1 for n in range(SHARDS)]
            assert max(discord.most_sessions.values()) == 1, "never two sessions of one shard"
    finally:
        for bot in bots:
            bot.stop()
        await discord.close()
