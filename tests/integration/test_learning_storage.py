"""The learning tables keep what the fakes promise, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.clock import FrozenClock
from bot.domain.memory import remember
from bot.domain.model import Where, Who
from bot.domain.views import QuestionView, StatsView
from bot.services import quiz
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
