"""The learning tables keep what the fakes promise, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.clock import FrozenClock
from bot.domain.memory import Memory, remember
from bot.domain.model import Presentation, Question, Round, RoundKind, Where, Who
from bot.domain.views import QuestionView, StatsView
from bot.services import quiz, recall
from bot.services.deps import Deps
from bot.services.tenancy import resolve
from tests.sample import SAMPLE_QUESTIONS, right_letters, wrong_letters

HERE = Where("terminal", "local", "general")
ALICE = Who("alice", "alice")


async def test_a_memory_is_stored_updated_and_read_back(deps: Deps, clock: FrozenClock) -> None:
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure("terminal", "local", "Local")
        member = await uow.members.ensure(workspace.id, "alice", "alice")
        first = remember(None, member.id, "lambda-a", correct=False, at=clock.now())
        await uow.memories.save(workspace.id, [first])
        await uow.commit()
    async with deps.uow() as uow:
        assert await uow.memories.locked(member.id, ["lambda-a", "s3-a"]) == {"lambda-a": first}
        second = remember(first, member.id, "lambda-a", correct=True,
                          at=clock.now() + timedelta(minutes=10))
        await uow.memories.save(workspace.id, [second])
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


async def test_answers_waiting_to_be_taken_in_are_taken_in_together_in_order(
        deps: Deps, clock: FrozenClock) -> None:
    """Wrong then right on one question, right on another, none read in between: the next
    read takes all three in, each question's answers in the order they were given."""
    first, other = [q for q in SAMPLE_QUESTIONS if not q.multi][:2]
    for question, right in ((first, False), (other, True), (first, True)):
        round_ = await _pop_of(deps, question)
        shown = Presentation.shuffled(question, round_.seed)
        letters = shown.correct_letters if right else next(
            letter for letter in shown.letters if letter not in shown.correct_letters)
        await quiz.answer(deps, HERE, ALICE, round_.id, letters)
        clock.advance(timedelta(minutes=1))
    memories = {m.question_id: m for m in await _read_memories(deps, await _alice(deps))}
    assert (memories[first.id].reviews, memories[first.id].missed_at) == (2, None)
    assert memories[other.id].reviews == 1


async def _pop_of(deps: Deps, question: Question) -> Round:
    """A pop quiz of this question, open now in HERE's channel."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace, channel, _ = await resolve(uow, HERE, ALICE)
        round_ = await uow.rounds.add(Round(0, workspace.id, channel.id, question.id,
                                            RoundKind.POP, now, now + timedelta(minutes=10),
                                            seed=5))
        await uow.commit()
    return round_
