"""Mock exams in SQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import ExamRow
from bot.domain.exam import Exam


def _exam(row: ExamRow) -> Exam:
    return Exam(row.id, row.workspace_id, row.member_id, tuple(row.question_ids),
                tuple(frozenset(a) if a is not None else None for a in row.answers),
                row.seed, row.started_at, row.ends_at, row.finished_at)


def _answers(exam: Exam) -> list[list[int] | None]:
    return [sorted(a) if a is not None else None for a in exam.answers]


class SqlExams:
    """The exams table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, exam: Exam) -> Exam:
        """Insert an exam."""
        row = ExamRow(workspace_id=exam.workspace_id, member_id=exam.member_id,
                      question_ids=list(exam.question_ids), answers=_answers(exam),
                      seed=exam.seed, started_at=exam.started_at, ends_at=exam.ends_at,
                      finished_at=exam.finished_at)
        self.session.add(row)
        await self.session.flush()
        return _exam(row)

    async def lock(self, exam_id: int) -> Exam | None:
        """SELECT … FOR UPDATE by id."""
        row = await self.session.scalar(select(ExamRow).where(ExamRow.id == exam_id)
                                        .with_for_update())
        return _exam(row) if row else None

    async def running(self, member_id: int) -> Exam | None:
        """The member's latest unfinished exam, locked."""
        row = await self.session.scalar(
            select(ExamRow).where(ExamRow.member_id == member_id,
                                  ExamRow.finished_at.is_(None))
            .order_by(ExamRow.id.desc()).limit(1).with_for_update())
        return _exam(row) if row else None

    async def save(self, exam: Exam) -> None:
        """Write answers and finish time back."""
        row = await self.session.get(ExamRow, exam.id)
        assert row is not None
        row.answers = _answers(exam)
        row.finished_at = exam.finished_at
        await self.session.flush()

    async def of_member(self, member_id: int) -> list[Exam]:
        """Every exam of a member, oldest first."""
        rows = await self.session.scalars(select(ExamRow).where(ExamRow.member_id == member_id)
                                          .order_by(ExamRow.id))
        return [_exam(row) for row in rows]
