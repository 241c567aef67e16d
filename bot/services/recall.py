"""Spaced repetition: every committed answer feeds the schedule; practice follows it.

A click only stores its answer. The memories take answers in when they are next read, in the
reader's transaction (`memories`), so the answer path pays nothing for them and an answer stored
just before a crash is still taken in, exactly once.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import memory, readiness
from bot.domain.memory import Memory
from bot.domain.model import ExamDomain, Question
from bot.domain.ports import UnitOfWork
from bot.domain.schedule import local_moment


async def memories(uow: UnitOfWork, member_id: int) -> list[Memory]:
    """The member's memories, with every answer stored since they were last read taken in
    (the caller commits)."""
    await take_in(uow, member_id)
    return await uow.memories.of_member(member_id)


async def take_in(uow: UnitOfWork, member_id: int) -> None:
    """Take the member's stored answers that the memories have not seen into them, oldest
    first."""
    recalls = await uow.memories.to_take_in(member_id)
    if not recalls:
        return
    known = await uow.memories.locked(member_id, {r.question_id for r in recalls})
    for recall in recalls:
        known[recall.question_id] = memory.remember(known.get(recall.question_id), member_id,
                                                    recall.question_id, recall.correct,
                                                    recall.at)
    await uow.memories.save(recalls[0].workspace_id, list(known.values()))
    await uow.memories.taken_in([recall.answer_id for recall in recalls])


async def record_answer(uow: UnitOfWork, workspace_id: int, member_id: int, question_id: str,
                        correct: bool, at: datetime) -> None:
    """Schedule the member's next review of a question answered outside a round (a mock
    exam's), after the answers stored before it."""
    await take_in(uow, member_id)
    previous = (await uow.memories.locked(member_id, [question_id])).get(question_id)
    await uow.memories.save(workspace_id, [memory.remember(previous, member_id, question_id,
                                                           correct, at)])


async def domain_tallies(uow: UnitOfWork,
                         member_id: int) -> dict[ExamDomain, tuple[int, int]]:
    """(right, answered) per exam domain over every answer the member gave, mock exams
    included (a question left unanswered when time ran out says nothing, so it is left out)."""
    counts: dict[ExamDomain, list[int]] = defaultdict(lambda: [0, 0])
    for record in await uow.answers.records(member_id):
        bucket = counts[ExamDomain(record.domain)]
        bucket[0] += int(record.answer.correct)
        bucket[1] += 1
    exams = await uow.exams.of_member(member_id)
    bank = {q.id: q for q in await uow.questions.all()} if exams else {}
    for exam in exams:
        for qid, picked in zip(exam.question_ids, exam.answers, strict=True):
            if picked is not None and qid in bank:
                bucket = counts[bank[qid].domain]
                bucket[0] += int(picked == bank[qid].answer)
                bucket[1] += 1
    return {domain: (right, total) for domain, (right, total) in counts.items()}


async def next_question(uow: UnitOfWork, member_id: int, pool: list[Question], now: datetime,
                        rng: random.Random) -> Question | None:
    """Due reviews first, then new questions weighted towards the member's weakest domain."""
    known = {m.question_id: m for m in await memories(uow, member_id)}
    tallies = await domain_tallies(uow, member_id)
    weakest = readiness.weakest(readiness.readiness(tallies).domains)
    return memory.pick_next(pool, known, now, weakest, rng)


async def due_today(uow: UnitOfWork, member_id: int, now: datetime, zone: str) -> int:
    """Reviews due before the end of the member's local day (in the channel's zone)."""
    tz = ZoneInfo(zone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    end = local_moment(tomorrow, datetime.min.time(), tz)
    return memory.due_count(await memories(uow, member_id), end)
