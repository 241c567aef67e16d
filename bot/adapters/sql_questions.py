"""The question bank in SQL."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Executable, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import QuestionRow, TopicRow
from bot.domain.model import Difficulty, ExamDomain, Question, Topic


def to_domain(row: QuestionRow) -> Question:
    """A question row as the domain sees it."""
    return Question(
        id=row.id, topic=row.topic, domain=ExamDomain(row.domain),
        difficulty=Difficulty(row.difficulty), text=row.text, choices=tuple(row.choices),
        answer=frozenset(row.answer), explanation=row.explanation, retired=row.retired)


def _upsert(session: AsyncSession, table: type[QuestionRow] | type[TopicRow],
            values: dict[str, Any], keys: list[str]) -> Executable:
    """INSERT … ON CONFLICT (keys) DO UPDATE, in the session's dialect (both spell it alike)."""
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    insert = insert.values(**values)
    changed = {k: v for k, v in values.items() if k not in keys}
    return insert.on_conflict_do_update(index_elements=keys, set_=changed)


class SqlQuestions:
    """Questions and topics tables."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Question]:
        """Every question, retired ones included."""
        rows = await self.session.scalars(select(QuestionRow).order_by(QuestionRow.id))
        return [to_domain(r) for r in rows]

    async def get(self, question_id: str) -> Question | None:
        """One question."""
        row = await self.session.get(QuestionRow, question_id)
        return to_domain(row) if row else None

    async def many(self, question_ids: Collection[str]) -> dict[str, Question]:
        """The questions with these ids that exist, by id."""
        if not question_ids:
            return {}
        rows = await self.session.scalars(select(QuestionRow)
                                          .where(QuestionRow.id.in_(list(question_ids))))
        return {r.id: to_domain(r) for r in rows}

    async def hashes(self) -> dict[str, tuple[str, bool]]:
        """Question id → (content hash, retired)."""
        rows = await self.session.execute(
            select(QuestionRow.id, QuestionRow.content_hash, QuestionRow.retired))
        return {qid: (digest, retired) for qid, digest, retired in rows}

    async def upsert(self, question: Question, content_hash: str) -> None:
        """Insert or update by id; a returning id comes out of retirement."""
        values = {
            "topic": question.topic, "domain": str(question.domain),
            "difficulty": str(question.difficulty), "text": question.text,
            "choices": list(question.choices), "answer": sorted(question.answer),
            "explanation": question.explanation, "content_hash": content_hash,
            "retired": False, "updated_at": datetime.now(UTC),
        }
        # INSERT … ON CONFLICT: processes starting at once with a changed bank may all sync.
        await self.session.execute(
            _upsert(self.session, QuestionRow, {"id": question.id, **values}, ["id"]))

    async def retire(self, question_ids: Iterable[str]) -> None:
        """Retire, never delete: rounds and answers keep their question."""
        ids = list(question_ids)
        if ids:
            await self.session.execute(update(QuestionRow).where(QuestionRow.id.in_(ids))
                                       .values(retired=True, updated_at=datetime.now(UTC)))

    async def save_topic(self, topic: Topic) -> None:
        """Insert or update a topic."""
        await self.session.execute(_upsert(
            self.session, TopicRow,
            {"slug": topic.slug, "title": topic.title, "section": topic.section}, ["slug"]))

    async def topics(self) -> list[Topic]:
        """Topics with their count of live questions."""
        live = (select(QuestionRow.topic, func.count().label("n"))
                .where(QuestionRow.retired.is_(False)).group_by(QuestionRow.topic).subquery())
        rows = await self.session.execute(
            select(TopicRow, func.coalesce(live.c.n, 0))
            .outerjoin(live, live.c.topic == TopicRow.slug).order_by(TopicRow.slug))
        return [Topic(row.slug, row.title, row.section, int(count)) for row, count in rows
                if count]
