"""The learning tables keep what the fakes promise, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.clock import FrozenClock
from bot.domain.memory import Memory, remember
from bot.domain.model import Where, Who
from bot.domain.views import QuestionView, StatsView
from bot.services import quiz, recall
from bot.services.deps import Deps
from tests.sample import right_letters, wrong_letters

HERE = Where("terminal", "local", "general")
ALICE = Who("alice", "alice")


async def test_a_memory_is_stored_updated_and_read_back(deps: Deps, clock: FrozenClock) -> None:
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure("terminal", "local", "Local")
        member = await uow.members.ensure(workspace.id, "alice", "alice")
        first = remember(None, member.id, "lambda-a", correct=False, at=clock.now())
        await uow.memories.save(workspace.id, first)
        await uow.commit()
    async with deps.uow() as uow:
        assert await uow.memories.get(member.id, "lambda-a") == first
        second = remember(first, member.id, "lambda-a", correct=True,
                          at=clock.now() + timedelta(minutes=10))
        await uow.memories.save(workspace.id, second)
        await uow.commit()
    async with deps.uow() as uow:
        assert await uow.memories.of_member(member.id) == [second]


async def test_practice_on_the_database_brings_a_miss_back_when_it_is_due(
        deps: Deps, clock: FrozenClock) -> None:
    first = await quiz.handle(deps, HERE, ALICE, "me")
    assert isinstance(first, QuestionView)
    await quiz.answer(deps, HERE, ALICE, first.round_id, wrong_letters(first))
    second = await quiz.handle(deps, HERE, ALICE, "me")
    assert isinstance(second, QuestionView) and second.text != first.text
    await quiz.answer(deps, HERE, ALICE, second.round_id, right_letters(second))
    clock.advance(timedelta(minutes=11))
    third = await quiz.handle(deps, HERE, ALICE, "me")
    assert isinstance(third, QuestionView) and third.text == first.text
    stats = await quiz.handle(deps, HERE, ALICE, "stats")
    assert isinstance(stats, StatsView) and stats.due_today == 1


async def test_two_readers_take_an_answer_into_memory_once(deps: Deps, engine: AsyncEngine,
                                                           clock: FrozenClock) -> None:
    view = await quiz.handle(deps, HERE, ALICE, "me")
    assert isinstance(view, QuestionView)
    await quiz.answer(deps, HERE, ALICE, view.round_id, wrong_letters(view))
    member_id = await _alice(deps)
    async with deps.uow() as first:
        assert len(await first.memories.to_take_in(member_id)) == 1  # locked until the commit
        if engine.dialect.name == "postgresql":  # SQLite lets one writer in at a time anyway
            second = asyncio.create_task(_read_memories(deps, member_id))
            await _until_a_reader_waits_on_a_lock(engine)
            assert not second.done()
        await recall.take_in(first, member_id)
        await first.commit()
    if engine.dialect.name == "postgresql":
        [memory] = await second
    else:
        [memory] = await _read_memories(deps, member_id)
    assert memory.reviews == 1 and memory.last_review == clock.now()


async def _alice(deps: Deps) -> int:
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find(HERE.platform, HERE.workspace)
        assert workspace is not None
        member = await uow.members.find(workspace.id, ALICE.external_id)
        assert member is not None
        return member.id


async def _read_memories(deps: Deps, member_id: int) -> list[Memory]:
    async with deps.uow() as uow:
        memories = await recall.memories(uow, member_id)
        await uow.commit()
        return memories


async def _until_a_reader_waits_on_a_lock(engine: AsyncEngine) -> None:
    waiting = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                   "AND datname = current_database()")
    async with asyncio.timeout(10):
        while True:
            async with engine.connect() as connection:
                if await connection.scalar(waiting):
                    return
            await asyncio.sleep(0.01)
