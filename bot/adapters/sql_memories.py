"""Spaced-repetition memories in SQL."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import MemoryRow
from bot.domain.memory import Memory


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
        """Update the member's row for the question, inserting it the first time."""
        if await self._update(memory):
            return
        try:
            async with self.session.begin_nested():
                self.session.add(MemoryRow(workspace_id=workspace_id,
                                           member_id=memory.member_id,
                                           question_id=memory.question_id, **_columns(memory)))
        except IntegrityError:
            # Another transaction inserted it first; ours is the later answer.
            await self._update(memory)

    async def _update(self, memory: Memory) -> bool:
        result = await self.session.execute(
            update(MemoryRow).where(MemoryRow.member_id == memory.member_id,
                                    MemoryRow.question_id == memory.question_id)
            .values(**_columns(memory)).execution_options(synchronize_session=False))
        return bool(getattr(result, "rowcount", 0))

    async def of_member(self, member_id: int) -> list[Memory]:
        """Every memory of a member."""
        rows = await self.session.scalars(select(MemoryRow)
                                          .where(MemoryRow.member_id == member_id))
        return [_memory(row) for row in rows]
