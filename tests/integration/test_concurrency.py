"""Two requests at once: the database's unique keys decide, and nobody sees an error."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.clock import FrozenClock
from bot.domain.errors import AlreadyAnswered, RoundClosed
from bot.domain.model import Member, Where, Who
from bot.domain.outbox import DeliveryKind
from bot.domain.views import PopPosted
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due
from bot.services.revealing import close_round
from tests.sample import right_letters


async def test_a_new_member_arriving_twice_at_once_becomes_one_member(
        deps: Deps, engine: AsyncEngine) -> None:
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure("slack", "T1", "Acme")
        await uow.commit()
    other_is_waiting = _the_second_transaction_waits(engine)
    ahead: list[Member] = []

    async def arrive() -> Member:
        async with deps.uow() as uow:
            member = await uow.members.ensure(workspace.id, "U1", "ann")
            if not ahead:  # the one ahead commits only once the other is held up by it
                ahead.append(member)
                await asyncio.wait_for(other_is_waiting(), timeout=10)
            await uow.commit()
        return member

    first, second = await asyncio.gather(arrive(), arrive())
    assert first.id == second.id


def _the_second_transaction_waits(engine: AsyncEngine) -> Callable[[], Awaitable[None]]:
    """A wait that ends once a second transaction is held up by the first: on PostgreSQL a
    backend waits on a row lock; SQLite queues every writer for its one write lock, so there
    it is enough that the second request has taken a connection of its own."""
    taken = asyncio.Event()
    connections = 0

    def count(*_: object) -> None:
        nonlocal connections
        connections += 1
        if connections == 2:
            taken.set()

    event.listen(engine.sync_engine, "checkout", count)

    async def wait() -> None:
        await taken.wait()
        while engine.dialect.name == "postgresql":
            async with engine.connect() as connection:
                if await connection.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND wait_event_type = 'Lock'")):
                    return
            await asyncio.sleep(0.01)

    return wait


async def test_answers_racing_a_close_are_each_counted_by_it_or_refused(
        deps: Deps, clock: FrozenClock, postgres_url: str, database_url: str) -> None:
    if database_url != postgres_url:
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL's row locks")
    where = Where("slack", "T1", "C1", "Acme", "general")
    posted = await quiz.handle(deps, where, Who("U0", "host"), "now")
    assert isinstance(posted, PopPosted)
    round_id = posted.question.round_id
    letters = right_letters(posted.question)
    counted: list[int] = []

    async def answer(n: int) -> bool:
        await asyncio.sleep(n * 0.002)  # spread them around the close
        try:
            await quiz.answer(deps, where, Who(f"U{n}", f"p{n}"), round_id, letters)
        except RoundClosed:
            return False
        return True

    async def close() -> None:
        await asyncio.sleep(0.03)
        clock.advance(timedelta(minutes=10))  # the window ends; the reveal closes the round
        async with deps.uow() as uow:  # as the reveal does: close, then read the answers
            assert await uow.rounds.close(round_id, deps.clock.now())
            counted.extend(a.member_id for a, _ in await uow.answers.for_round(round_id))
            await uow.commit()

    *accepted, _ = await asyncio.gather(*(answer(n) for n in range(1, 61)), close())
    async with deps.uow() as uow:
        stored = [a.member_id for a, _ in await uow.answers.for_round(round_id)]
    assert sorted(counted) == sorted(stored)  # the close saw every answer that was stored
    told_it_is_in = sum(1 for ok in accepted if ok)
    assert len(stored) == told_it_is_in  # and every answer told "it's in" was stored
    assert 0 < len(stored) < 60  # the close really landed in the middle


@pytest.mark.parametrize("seen_before", [True, False], ids=["member", "newcomer"])
async def test_one_member_clicking_many_times_at_once_has_one_answer_counted(
        deps: Deps, postgres_url: str, database_url: str, seen_before: bool) -> None:
    if database_url != postgres_url:
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    where = Where("slack", "T1", "C1", "Acme", "general")
    ann = Who("U1", "ann")
    posted = await quiz.handle(deps, where, ann if seen_before else Who("U0", "host"), "now")
    assert isinstance(posted, PopPosted)
    round_id, letters = posted.question.round_id, right_letters(posted.question)

    async def click() -> bool:
        try:
            await quiz.answer(deps, where, ann, round_id, letters)
        except AlreadyAnswered:
            return False
        return True

    accepted = await asyncio.gather(*(click() for _ in range(20)))
    async with deps.uow() as uow:
        stored = await uow.answers.for_round(round_id)
    board = await quiz.handle(deps, where, ann, "leaderboard all")
    assert sum(accepted) == 1  # exactly one click is told "it's in"; the others are refused
    assert [member.external_id for _, member in stored] == ["U1"]
    assert [(row.name, row.points) for row in board.rows] == [("ann", 5)]  # type: ignore[union-attr]


async def test_two_closes_racing_for_one_round_queue_one_reveal(
        deps: Deps, clock: FrozenClock) -> None:
    where = Where("slack", "T1", "C1", "Acme", "general")
    posted = await quiz.handle(deps, where, Who("U0", "host"), "now")
    assert isinstance(posted, PopPosted)
    round_id = posted.question.round_id
    await run_due(deps)  # the question reaches the channel
    clock.advance(timedelta(minutes=10))

    won = await asyncio.gather(*(close_round(deps, round_id) for _ in range(4)))
    assert sorted(won) == [False, False, False, True]  # the losers see it closed, quietly
    async with deps.uow() as uow:
        reveal = await uow.deliveries.of_round(round_id, DeliveryKind.REVEAL)
        round_ = await uow.rounds.get(round_id)
    assert reveal is not None and round_ is not None and round_.closed_at is not None
