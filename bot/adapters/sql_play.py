"""How the bank has been played: answers and right answers per question, from SQL."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.database import make_engine, make_sessions
from bot.adapters.orm import AnswerRow, QuestionRow, RoundRow
from bot.domain.calibration import Played
from bot.domain.errors import QuizError
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


async def read_played(database_url: str) -> list[Played]:
    """played_questions from the database at a URL; a database that cannot answer says why."""
    engine = make_engine(database_url)
    try:
        async with make_sessions(engine)() as session:
            return await played_questions(session)
    except (SQLAlchemyError, OSError) as error:
        reason = str(error).splitlines()[0]
        raise QuizError(f"Cannot read the answers from the database ({reason}): check "
                        "DATABASE_URL, then run `quizbot migrate` and `quizbot questions sync`.",
                        ) from None
    finally:
        await engine.dispose()
