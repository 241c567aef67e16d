"""Redis leaderboards answer fast, lose nothing when Redis goes away, and rebuild to equal SQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta

import pytest
from redis.asyncio import Redis

from bot.adapters.clock import FrozenClock
from bot.adapters.redis_leaderboard import WEEK_KEY_LIFETIME, RedisLeaderboard, connect
from bot.adapters.sql_leaderboard import SqlLeaderboard, week_bounds
from bot.domain.commands import Period
from bot.domain.model import Where, Who
from bot.domain.views import PopPosted
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due
from tests.sample import right_letters, wrong_letters
from tests.servers import RedisProcess, forget_keys, redis_process, redis_server

TEAM = Where("slack", "T1", "C1", "Acme", "general")
OTHER_CHANNEL = Where("slack", "T1", "C2", "Acme", "random")
ELSEWHERE = Where("slack", "T2", "C1", "Other", "general")
PLAYERS = [Who(f"U{i}", name) for i, name in enumerate(["ann", "bob", "cy", "di"])]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


PREFIX = f"test{uuid.uuid4().hex[:8]}:"  # this run's keys, removed after each test


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await forget_keys(client, f"{PREFIX}*")
    await client.aclose()


def use_redis(deps: Deps, redis: Redis, clock: FrozenClock) -> RedisLeaderboard:
    """Swap the SQL leaderboard for Redis in front of it, with keys of this test only."""
    assert isinstance(deps.leaderboard, SqlLeaderboard)
    board = RedisLeaderboard(redis, deps.leaderboard, clock,
                             prefix=f"{PREFIX}{uuid.uuid4().hex}:")
    deps.leaderboard = board
    return board


async def play_pop_round(deps: Deps, clock: FrozenClock, where: Where = TEAM,
                         right: int = 2, wrong: int = 0) -> None:
    """A pop quiz that the first `right` players answer right, the next `wrong` wrong."""
    posted = await quiz.handle(deps, where, PLAYERS[0], "now")
    view = posted.question  # type: ignore[union-attr]
    for player in PLAYERS[:right]:
        await quiz.answer(deps, where, player, view.round_id, right_letters(view))
    for player in PLAYERS[right:right + wrong]:
        await quiz.answer(deps, where, player, view.round_id, wrong_letters(view))
    clock.advance(timedelta(minutes=11))
    await run_due(deps)
    if isinstance(deps.leaderboard, RedisLeaderboard):
        await deps.leaderboard.idle()  # a rebuild a write started runs in the background


async def sql_view(deps: Deps, sql: SqlLeaderboard, workspace: int) -> tuple:  # type: ignore[type-arg]
    now = deps.clock.now()
    return (await sql.members(workspace, Period.WEEK, now, 10),
            await sql.members(workspace, Period.ALL, now, 10),
            await sql.squads(workspace, Period.ALL, now))


async def redis_view(deps: Deps, board: RedisLeaderboard, workspace: int) -> tuple:  # type: ignore[type-arg]
    now = deps.clock.now()
    return (await board.members(workspace, Period.WEEK, now, 10),
            await board.members(workspace, Period.ALL, now, 10),
            await board.squads(workspace, Period.ALL, now))


async def workspace_id(deps: Deps, where: Where = TEAM) -> int:
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find(where.platform, where.workspace)
    assert workspace is not None
    return workspace.id


async def test_redis_boards_equal_the_sql_sums(deps: Deps, clock: FrozenClock,
                                               redis: Redis) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock, right=3)
    await play_pop_round(deps, clock, OTHER_CHANNEL, right=1)
    ws = await workspace_id(deps)
    assert await redis_view(deps, board, ws) == await sql_view(deps, board.sql, ws)
    top = await board.members(ws, Period.ALL, clock.now(), 10)
    assert [row.rank for row in top] == [1, 2, 2]  # ann 10, bob 5, cy 5
    assert await redis.exists(board.keys(ws).board(Period.WEEK, clock.now())) == 1


async def test_squads_count_everyone_who_answered_in_redis_as_in_sql(
        deps: Deps, clock: FrozenClock, redis: Redis) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock, right=1, wrong=1)  # #general: ann right, bob wrong
    await play_pop_round(deps, clock, OTHER_CHANNEL, right=1)  # #random: ann right
    ws = await workspace_id(deps)
    squads = await board.squads(ws, Period.ALL, clock.now())
    assert [(row.name, row.points, row.members) for row in squads] == [
        ("random", 5.0, 1), ("general", 2.5, 2)]
    assert squads == await board.sql.squads(ws, Period.ALL, clock.now())


async def test_an_answer_that_races_a_rebuild_is_not_left_out(
        deps: Deps, clock: FrozenClock, redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock, right=1)
    ws = await workspace_id(deps)
    posted = await quiz.handle(deps, TEAM, PLAYERS[0], "now")
    assert isinstance(posted, PopPosted)
    view = posted.question
    snapshot = board.sql.squad_points
    raced: list[bool] = []

    async def answer_while_snapshotting(
            workspace_id: int, period: Period, at: datetime,
            up_to: int | None = None) -> dict[int, tuple[str, int, set[int]]]:
        taken = await snapshot(workspace_id, period, at, up_to)
        if not raced:
            raced.append(True)
            board.stale.add(ws)  # Redis failed here a moment ago, so this record is skipped
            await quiz.answer(deps, TEAM, PLAYERS[1], view.round_id, right_letters(view))
        return taken

    with monkeypatch.context() as patched:
        patched.setattr(board.sql, "squad_points", answer_while_snapshotting)
        await board.rebuild(ws)
    assert await redis_view(deps, board, ws) == await sql_view(deps, board.sql, ws)
    assert len(await board.members(ws, Period.WEEK, clock.now(), 10)) == 2


async def test_a_members_rank_counts_only_those_with_more_points(
        deps: Deps, clock: FrozenClock, redis: Redis) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock, right=3)
    await play_pop_round(deps, clock, right=1)
    ws = await workspace_id(deps)
    async with deps.uow() as uow:
        cy = await uow.members.find(ws, "cy")
    assert cy is not None
    mine = await board.rank_of(ws, Period.WEEK, clock.now(), cy.id)
    assert mine is not None and (mine.rank, mine.points) == (2, 5)
    assert mine == await board.sql.rank_of(ws, Period.WEEK, clock.now(), cy.id)


async def test_weekly_keys_expire_and_every_key_carries_the_tenant(
        deps: Deps, clock: FrozenClock, redis: Redis) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock)
    ws = await workspace_id(deps)
    week_key = board.keys(ws).board(Period.WEEK, clock.now())
    week_ends = week_bounds(clock.now())[1]
    assert await redis.expiretime(week_key) == int((week_ends + WEEK_KEY_LIFETIME).timestamp())
    assert await redis.ttl(board.keys(ws).board(Period.ALL, clock.now())) == -1
    keys = [key.decode() async for key in redis.scan_iter(match=f"{board.prefix}*")]
    assert keys and all(key.startswith(f"{board.prefix}lb:{ws}:") for key in keys)


async def test_rebuilding_one_tenant_leaves_the_others_alone(
        deps: Deps, clock: FrozenClock, redis: Redis) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock)
    await play_pop_round(deps, clock, ELSEWHERE, right=1)
    other = await workspace_id(deps, ELSEWHERE)
    before = await redis_view(deps, board, other)
    await board.rebuild(await workspace_id(deps))
    assert await redis_view(deps, board, other) == before


@pytest.fixture
def own_redis() -> Iterator[RedisProcess]:
    with redis_process() as server:
        yield server


@pytest.fixture
async def own_board(deps: Deps, clock: FrozenClock,
                    own_redis: RedisProcess) -> AsyncIterator[RedisLeaderboard]:
    """A Redis board on a redis-server of the test's own, which the test may stop."""
    client = connect(own_redis.url)
    yield use_redis(deps, client, clock)
    await client.aclose()


async def test_no_answer_is_lost_while_redis_is_down_and_the_board_heals(
        deps: Deps, clock: FrozenClock, own_redis: RedisProcess,
        own_board: RedisLeaderboard) -> None:
    board, client = own_board, own_board.redis
    await play_pop_round(deps, clock, right=2)
    ws = await workspace_id(deps)

    own_redis.stop()
    await play_pop_round(deps, clock, right=4)  # scored while Redis is away
    assert ws in board.stale
    served = await redis_view(deps, board, ws)
    assert served == await sql_view(deps, board.sql, ws)  # from SQL meanwhile
    assert served[1][0].points == 10

    own_redis.start()  # it comes back empty, as a cache without persistence does
    await board.heal()
    assert board.stale == set()
    assert await redis_view(deps, board, ws) == await sql_view(deps, board.sql, ws)
    assert await client.zcard(board.keys(ws).board(Period.ALL, clock.now())) == 4


async def test_a_redis_that_restarted_empty_is_refilled_from_sql_on_the_next_read(
        deps: Deps, clock: FrozenClock, own_redis: RedisProcess,
        own_board: RedisLeaderboard) -> None:
    board, client = own_board, own_board.redis
    await play_pop_round(deps, clock, right=3)
    own_redis.stop()
    own_redis.start()  # no write happened meanwhile, so nothing was marked stale
    ws = await workspace_id(deps)
    assert board.stale == set()
    assert await redis_view(deps, board, ws) == await sql_view(deps, board.sql, ws)
    await board.idle()  # SQL answered while the read's rebuild ran
    assert await client.zcard(board.keys(ws).board(Period.ALL, clock.now())) == 3
    assert await redis_view(deps, board, ws) == await sql_view(deps, board.sql, ws)


async def test_a_write_to_a_redis_that_restarted_empty_rebuilds_the_board(
        deps: Deps, clock: FrozenClock, own_redis: RedisProcess,
        own_board: RedisLeaderboard) -> None:
    board = own_board
    await play_pop_round(deps, clock, right=3)
    ws = await workspace_id(deps)
    await board.members(ws, Period.ALL, clock.now(), 10)  # Redis is ready
    own_redis.stop()
    own_redis.start()
    await play_pop_round(deps, clock, right=1)
    stored = dict(await board._scored(board.keys(ws).board(Period.ALL, clock.now())))
    assert sorted(stored.values()) == [5.0, 5.0, 10.0]


async def test_an_answer_recorded_twice_counts_once(deps: Deps, clock: FrozenClock,
                                                    redis: Redis) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock, right=1)
    ws = await workspace_id(deps)
    posted = await quiz.handle(deps, TEAM, PLAYERS[0], "now")
    view = posted.question  # type: ignore[union-attr]
    await quiz.answer(deps, TEAM, PLAYERS[1], view.round_id, right_letters(view))
    late = await board.sql.answers_after(ws, 0)
    for score in late + late:  # every answer again, twice: a retry, a replayed rebuild
        await board.record(score)
    assert await redis_view(deps, board, ws) == await sql_view(deps, board.sql, ws)


async def test_rebuild_makes_redis_equal_sql_exactly(deps: Deps, clock: FrozenClock,
                                                      redis: Redis) -> None:
    board = use_redis(deps, redis, clock)
    await play_pop_round(deps, clock, right=3)
    ws = await workspace_id(deps)
    await redis.zincrby(board.keys(ws).board(Period.ALL, clock.now()), 99, "1")  # drift
    await board.rebuild(ws)
    stored = dict(await board._scored(board.keys(ws).board(Period.ALL, clock.now())))
    sums = await board.sql.member_points(ws, Period.ALL, clock.now())
    assert stored == {member: float(points) for member, (_, points) in sums.items()}


