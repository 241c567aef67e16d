"""Redis dies and comes back empty while two processes take answers: no answer is lost, and
afterwards every process's boards equal the SQL sums."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import asyncpg
import pytest
from redis.asyncio import Redis

from tests.chaos.processes import Bot
from tests.chaos.slack_traffic import Slack, answerers, eventually, pop_round, serving, started
from tests.platforms.slack.fake_slack import FakeSlack
from tests.servers import RedisProcess, redis_process

MEMBERS = 150
CHANNELS = ("C21", "C22", "C23")


@pytest.fixture
def own_redis() -> Iterator[RedisProcess]:
    with redis_process() as server:
        yield server


async def test_redis_restarting_empty_mid_load_loses_no_answer_and_boards_equal_sql(
        database_url: str, fake: FakeSlack, slack: Slack, db: asyncpg.Connection,
        bots: list[Bot], logs: Path, own_redis: RedisProcess) -> None:
    first = serving(database_url, fake, logs / "a.log", own_redis.url)
    second = serving(database_url, fake, logs / "b.log", own_redis.url)
    bots += [first, second]
    await started(first, second)
    rounds = [await pop_round(slack, first, db, channel) for channel in CHANNELS]
    # Member n answers the rounds its number picks, so totals differ from member to member;
    # everyone clicks A, which is right in some rounds and wrong in others.
    clicks = [(f"U{n:04d}", round_id, channel, "A" if len(letters) == 1 else letters)
              for n in range(MEMBERS)
              for (round_id, letters), channel in zip(rounds, CHANNELS, strict=True)
              if (n >> CHANNELS.index(channel)) & 1 or n % 7 == 0]
    processes = itertools.cycle([first, second])
    targets = [next(processes) for _ in clicks]

    async def click(n: int) -> int:
        person, round_id, channel, letters = clicks[n]
        status, _ = await slack.send(targets[n], slack.click(person, round_id, letters,
                                                             channel))
        return status

    third = len(clicks) // 3
    statuses = await asyncio.gather(*(click(n) for n in range(third)))
    kill(own_redis)
    statuses += await asyncio.gather(*(click(n) for n in range(third, 2 * third)))
    own_redis.start()  # empty, as a cache without persistence comes back
    statuses += await asyncio.gather(*(click(n) for n in range(2 * third, len(clicks))))

    assert set(statuses) == {200}
    for round_id, _ in rounds:
        expected = {person for person, rid, _, _ in clicks if rid == round_id}
        assert await answerers(db, round_id) == expected

    workspace = await db.fetchval("SELECT id FROM workspaces WHERE external_id = 'T1'")
    sums = {str(row["member_id"]): float(row["points"]) for row in await db.fetch(
        "SELECT member_id, points FROM member_points WHERE workspace_id = $1 AND period = 'all'"
        " AND points > 0", workspace)}
    redis = Redis.from_url(own_redis.url)

    async def boards_equal_sql() -> bool:
        await asyncio.gather(*(slack.send(bot, slack.command("U0ADA", "leaderboard all"))
                               for bot in (first, second)))  # reads rebuild a lost board
        stored = cast(list[tuple[bytes, float]],
                      await redis.zrange(f"lb:{workspace}:all", 0, -1, withscores=True))
        return {member.decode(): score for member, score in stored if score > 0} == sums

    await eventually(boards_equal_sql, 20, "Redis to equal the SQL sums again")
    await redis.aclose()
    replies = [[text for _, text in await asyncio.gather(
        *(slack.send(bot, slack.command("U0ADA", f"leaderboard {period}"))
          for bot in (first, second)))] for period in ("all", "week")]
    for from_first, from_second in replies:
        assert from_first == from_second
    for bot in (first, second):
        assert "Traceback" not in bot.output()


def kill(server: RedisProcess) -> None:
    """SIGKILL Redis, as a crash stops it."""
    assert server.process is not None
    server.process.kill()
    server.process.wait(timeout=10)
    server.process = None
