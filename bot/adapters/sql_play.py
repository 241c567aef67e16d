"""How the bank has been played: answers and right answers per question, from SQL."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import AnswerRow, QuestionRow, RoundRow
from bot.domain.calibration import Played
from bot.domain.model import Difficulty


async def played_questions(session: AsyncSession) -> list[Played]:
    """Every live question with its answers and right answers, summed over every workspace."""
    right = func.coalesce(func.sum(case((AnswerRow.correct.is_(True), 1), else_=0)), 0)
    rows = await session.execute(
        select(QuestionRow.id, QuestionRow.topic, QuestionRow.difficulty,
               func.count(AnswerRow.id), right)
        .outerjoin(RoundRow, RoundRow.question_id == QuestionRow.id)
        .outerjoin(AnswerRow, AnswerRow.round_id == RoundRow.id)
        .where(QuestionRow.retired.is_(False))
        .group_by(QuestionRow.id, QuestionRow.topic, QuestionRow.difficulty)
        .order_by(QuestionRow.id))
    return [Played(qid, topic, Difficulty(difficulty), int(answers), int(right_count))
            for qid, topic, difficulty, answers, right_count in rows]
