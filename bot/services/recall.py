"""Spaced repetition: every committed answer feeds the schedule; practice follows it."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import memory, readiness
from bot.domain.model import ExamDomain, Question
from bot.domain.ports import UnitOfWork
from bot.domain.schedule import local_moment


async def record_answer(uow: UnitOfWork, workspace_id: int, member_id: int, question_id: str,
                        correct: bool, at: datetime) -> None:
    """Schedule the member's next review of the question, in the answer's transaction."""
    previous = await uow.memories.get(member_id, question_id)
    await uow.memories.save(workspace_id,
                            memory.remember(previous, member_id, question_id, correct, at))


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
    memories = {m.question_id: m for m in await uow.memories.of_member(member_id)}
    tallies = await domain_tallies(uow, member_id)
    weakest = readiness.weakest(readiness.readiness(tallies).domains)
    return memory.pick_next(pool, memories, now, weakest, rng)


async def due_today(uow: UnitOfWork, member_id: int, now: datetime, zone: str) -> int:
    """Reviews due before the end of the member's local day (in the channel's zone)."""
    tz = ZoneInfo(zone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    end = local_moment(tomorrow, datetime.min.time(), tz)
    return memory.due_count(await uow.memories.of_member(member_id), end)
