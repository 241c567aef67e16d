"""Spaced-repetition memories in SQL."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import AnswerRow, MemoryRow, RoundRow
from bot.domain.memory import Memory, Recall


def _memory(row: MemoryRow) -> Memory:
    return Memory(row.member_id, row.question_id, row.state, row.step, row.stability,
                  row.difficulty, row.due, row.last_review, row.reviews, row.lapses,
                  row.missed_at)


def _columns(memory: Memory) -> dict[str, object]:
    return {"state": memory.state, "step": memory.step, "stability": memory.stability,
            "difficulty": memory.difficulty, "due": memory.due,
            "last_review": memory.last_review, "reviews": memory.reviews,
            "lapses": memory.lapses, "missed_at": memory.missed_at}


class SqlMemories:
    """The memories table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, member_id: int, question_id: str) -> Memory | None:
        """SELECT … FOR UPDATE, so a second answer to the same question waits for the first."""
        row = await self.session.scalar(
            select(MemoryRow).where(MemoryRow.member_id == member_id,
                                    MemoryRow.question_id == question_id).with_for_update())
        return _memory(row) if row else None

    async def save(self, workspace_id: int, memory: Memory) -> None:
        """INSERT … ON CONFLICT (member, question) DO UPDATE: one statement on the answer path."""
        dialect = self.session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(MemoryRow)
        columns = _columns(memory)
        await self.session.execute(
            insert.values(workspace_id=workspace_id, member_id=memory.member_id,
                          question_id=memory.question_id, **columns)
            .on_conflict_do_update(index_elements=["member_id", "question_id"], set_=columns))

    async def of_member(self, member_id: int) -> list[Memory]:
        """Every memory of a member."""
        rows = await self.session.scalars(select(MemoryRow)
                                          .where(MemoryRow.member_id == member_id))
        return [_memory(row) for row in rows]

    async def to_take_in(self, member_id: int) -> list[Recall]:
        """The member's answers not yet remembered, oldest first, locked FOR UPDATE: a second
        reader waits, then finds them remembered."""
        rows = await self.session.execute(
            select(AnswerRow.id, AnswerRow.workspace_id, RoundRow.question_id,
                   AnswerRow.correct, AnswerRow.answered_at)
            .join(RoundRow, RoundRow.id == AnswerRow.round_id)
            .where(AnswerRow.member_id == member_id, AnswerRow.remembered.is_(False))
            .order_by(AnswerRow.answered_at, AnswerRow.id)
            .with_for_update(of=AnswerRow))
        return [Recall(*row) for row in rows]

    async def taken_in(self, answer_ids: list[int]) -> None:
        """UPDATE answers SET remembered = true, in one statement."""
        if answer_ids:
            await self.session.execute(update(AnswerRow).where(AnswerRow.id.in_(answer_ids))
                                       .values(remembered=True))
