"""Spaced-repetition memories in SQL."""

from __future__ import annotations

from collections.abc import Collection, Sequence

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

    async def locked(self, member_id: int, question_ids: Collection[str]) -> dict[str, Memory]:
        """SELECT … FOR UPDATE, so a second writer of the same memories waits for the first."""
        if not question_ids:
            return {}
        rows = await self.session.scalars(
            select(MemoryRow).where(MemoryRow.member_id == member_id,
                                    MemoryRow.question_id.in_(list(question_ids)))
            .with_for_update())
        return {row.question_id: _memory(row) for row in rows}

    async def save(self, workspace_id: int, memories: Sequence[Memory]) -> None:
        """INSERT … ON CONFLICT (member, question) DO UPDATE, one statement for them all."""
        if not memories:
            return
        dialect = self.session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(MemoryRow)
        statement = insert.values([
            {"workspace_id": workspace_id, "member_id": m.member_id,
             "question_id": m.question_id, **_columns(m)} for m in memories])
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=["member_id", "question_id"],
            set_={name: statement.excluded[name] for name in _columns(memories[0])}))

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
