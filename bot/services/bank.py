"""Bring the database's question bank in line with the question files."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import Question, Topic
from bot.domain.ports import UnitOfWorkFactory


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed."""

    added: int
    updated: int
    retired: int
    unchanged: int

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.retired} retired, "
                f"{self.unchanged} unchanged.")


async def sync_bank(uow_factory: UnitOfWorkFactory, topics: list[Topic],
                    questions: list[tuple[Question, str]]) -> SyncReport:
    """Upsert questions by id (a changed hash is an update); retire ids no longer in the files."""
    async with uow_factory() as uow:
        known = await uow.questions.hashes()
        for topic in topics:
            await uow.questions.save_topic(topic)
        added = updated = unchanged = 0
        for question, digest in questions:
            before = known.get(question.id)
            if before == (digest, False):
                unchanged += 1
                continue
            await uow.questions.upsert(question, digest)
            if before is None:
                added += 1
            else:
                updated += 1
        present = {q.id for q, _ in questions}
        gone = [qid for qid, (_, retired) in known.items() if qid not in present and not retired]
        await uow.questions.retire(gone)
        await uow.commit()
    return SyncReport(added, updated, len(gone), unchanged)
