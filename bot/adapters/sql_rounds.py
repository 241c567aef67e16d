"""Rounds, answers and weekly posts in SQL."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import AnswerRow, MemberRow, QuestionRow, RoundRow
from bot.domain.errors import AlreadyAnswered
from bot.domain.model import Answer, Member, Round, RoundKind
from bot.domain.ports import AnswerRecord, Duplicate


def _round(row: RoundRow) -> Round:
    return Round(
        id=row.id, workspace_id=row.workspace_id, channel_id=row.channel_id,
        question_id=row.question_id, kind=RoundKind(row.kind), opened_at=row.opened_at,
        closes_at=row.closes_at, seed=row.seed, closed_at=row.closed_at,
        local_date=row.local_date, member_id=row.member_id, message_ref=row.message_ref)


def _answer(row: AnswerRow) -> Answer:
    return Answer(row.round_id, row.member_id, frozenset(row.choices), row.correct, row.points,
                  row.answered_at, row.streak)


class SqlRounds:
    """Rounds table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, round_: Round) -> Round:
        """Insert; a second daily round for a channel and date raises Duplicate."""
        row = RoundRow(
            workspace_id=round_.workspace_id, channel_id=round_.channel_id,
            question_id=round_.question_id, kind=str(round_.kind), member_id=round_.member_id,
            opened_at=round_.opened_at, closes_at=round_.closes_at, closed_at=None,
            local_date=round_.local_date, seed=round_.seed, message_ref=None)
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError as exc:
            raise Duplicate("that round exists already") from exc
        return _round(row)

    async def get(self, round_id: int) -> Round | None:
        """A round by id."""
        row = await self.session.get(RoundRow, round_id)
        return _round(row) if row else None

    async def many(self, round_ids: Collection[int]) -> dict[int, Round]:
        """The rounds with these ids that exist, by id."""
        if not round_ids:
            return {}
        rows = await self.session.scalars(select(RoundRow)
                                          .where(RoundRow.id.in_(list(round_ids))))
        return {r.id: _round(r) for r in rows}

    async def lock(self, round_id: int) -> Round | None:
        """SELECT … FOR UPDATE (SQLite has no row locks; its IMMEDIATE transactions serialize)."""
        row = await self.session.scalar(select(RoundRow).where(RoundRow.id == round_id)
                                        .with_for_update())
        return _round(row) if row else None

    async def daily_on(self, channel_id: int, local_date: date) -> Round | None:
        """The channel's daily round of a date."""
        row = await self.session.scalar(select(RoundRow).filter_by(
            channel_id=channel_id, local_date=local_date))
        return _round(row) if row else None

    async def times_asked(self, channel_id: int) -> dict[str, int]:
        """Question id → times asked in the channel (daily and pop)."""
        rows = await self.session.execute(
            select(RoundRow.question_id, func.count())
            .where(RoundRow.channel_id == channel_id, RoundRow.kind != RoundKind.PRACTICE.value)
            .group_by(RoundRow.question_id))
        return {qid: int(n) for qid, n in rows}

    async def times_asked_in(self, channel_ids: Collection[int]) -> dict[int, dict[str, int]]:
        """times_asked of each of these channels (none asked: left out)."""
        counts: dict[int, dict[str, int]] = {}
        if channel_ids:
            rows = await self.session.execute(
                select(RoundRow.channel_id, RoundRow.question_id, func.count())
                .where(RoundRow.channel_id.in_(list(channel_ids)),
                       RoundRow.kind != RoundKind.PRACTICE.value)
                .group_by(RoundRow.channel_id, RoundRow.question_id))
            for channel_id, question_id, n in rows:
                counts.setdefault(channel_id, {})[question_id] = int(n)
        return counts

    async def daily_dates(self, channel_ids: Collection[int],
                          dates: Collection[date]) -> set[tuple[int, date]]:
        """Which of these channels have a daily round on which of these local dates."""
        if not channel_ids or not dates:
            return set()
        rows = await self.session.execute(
            select(RoundRow.channel_id, RoundRow.local_date)
            .where(RoundRow.channel_id.in_(list(channel_ids)),
                   RoundRow.local_date.in_(list(dates))))
        return {(channel_id, day) for channel_id, day in rows if day is not None}

    async def add_dailies(self, rounds: list[Round]) -> list[Round]:
        """Store new daily rounds in one statement; one whose channel has a round on its date
        already is left out (ON CONFLICT DO NOTHING), as add would raise Duplicate for it."""
        if not rounds:
            return []
        dialect = self.session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(RoundRow)
        rows = await self.session.scalars(
            insert.on_conflict_do_nothing().returning(RoundRow),
            [{"workspace_id": r.workspace_id, "channel_id": r.channel_id,
              "question_id": r.question_id, "kind": str(r.kind), "member_id": r.member_id,
              "opened_at": r.opened_at, "closes_at": r.closes_at, "closed_at": None,
              "local_date": r.local_date, "seed": r.seed, "message_ref": None}
             for r in rounds])
        return [_round(row) for row in rows]

    async def due_to_close(self, now: datetime) -> list[Round]:
        """Open rounds whose window has passed, oldest first."""
        rows = await self.session.scalars(
            select(RoundRow).where(RoundRow.closed_at.is_(None), RoundRow.closes_at <= now)
            .order_by(RoundRow.closes_at, RoundRow.id))
        return [_round(r) for r in rows]

    async def next_close_after(self, after: datetime) -> datetime | None:
        """When the next open round's window ends, later than `after`."""
        moment: datetime | None = await self.session.scalar(
            select(func.min(RoundRow.closes_at))
            .where(RoundRow.closed_at.is_(None), RoundRow.closes_at > after))
        return moment

    async def open_in_channel(self, channel_id: int, now: datetime) -> list[Round]:
        """Daily and pop rounds still taking answers."""
        rows = await self.session.scalars(
            select(RoundRow).where(RoundRow.channel_id == channel_id,
                                   RoundRow.kind != RoundKind.PRACTICE.value,
                                   RoundRow.closed_at.is_(None), RoundRow.closes_at > now)
            .order_by(RoundRow.id))
        return [_round(r) for r in rows]

    async def close(self, round_id: int, at: datetime) -> bool:
        """Close it; the WHERE makes only one caller win."""
        result = await self.session.execute(
            update(RoundRow).where(RoundRow.id == round_id, RoundRow.closed_at.is_(None))
            .values(closed_at=at))
        return bool(getattr(result, "rowcount", 0))

    async def set_message_ref(self, round_id: int, ref: str) -> None:
        """Remember the message showing the round."""
        await self.session.execute(update(RoundRow).filter_by(id=round_id)
                                   .values(message_ref=ref))

    async def dailies_before(self, channel_id: int, before: date, limit: int) -> list[Round]:
        """Latest daily rounds before a date, newest first."""
        rows = await self.session.scalars(
            select(RoundRow).where(RoundRow.channel_id == channel_id,
                                   RoundRow.local_date.is_not(None), RoundRow.local_date < before)
            .order_by(RoundRow.local_date.desc()).limit(limit))
        return [_round(r) for r in rows]


class SqlAnswers:
    """Answers table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, answer: Answer) -> None:
        """Insert; the unique (round, member) key turns a second answer into AlreadyAnswered."""
        round_row = await self.session.get(RoundRow, answer.round_id)
        assert round_row is not None
        row = AnswerRow(workspace_id=round_row.workspace_id, round_id=answer.round_id,
                        member_id=answer.member_id, choices=sorted(answer.choices),
                        correct=answer.correct, points=answer.points, streak=answer.streak,
                        answered_at=answer.answered_at)
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError as exc:
            raise AlreadyAnswered("You have already answered; the first answer counts.") from exc

    async def get(self, round_id: int, member_id: int) -> Answer | None:
        """A member's answer to a round."""
        row = await self.session.scalar(select(AnswerRow).filter_by(round_id=round_id,
                                                                    member_id=member_id))
        return _answer(row) if row else None

    async def for_round(self, round_id: int) -> list[tuple[Answer, Member]]:
        """Answers of a round with their members, earliest first."""
        rows = await self.session.execute(
            select(AnswerRow, MemberRow).join(MemberRow, MemberRow.id == AnswerRow.member_id)
            .where(AnswerRow.round_id == round_id).order_by(AnswerRow.answered_at, AnswerRow.id))
        return [(_answer(a), Member(m.id, m.workspace_id, m.external_id, m.display_name))
                for a, m in rows]

    async def results(self, member_id: int, round_ids: list[int]) -> dict[int, bool]:
        """Round id → right or wrong, for the rounds the member answered."""
        if not round_ids:
            return {}
        rows = await self.session.execute(
            select(AnswerRow.round_id, AnswerRow.correct)
            .where(AnswerRow.member_id == member_id, AnswerRow.round_id.in_(round_ids)))
        return {rid: bool(ok) for rid, ok in rows}

    async def practice_scored_between(self, member_id: int, start: datetime,
                                      end: datetime) -> int:
        """Practice answers that scored, in a time range."""
        count = await self.session.scalar(
            select(func.count()).select_from(AnswerRow).join(RoundRow)
            .where(AnswerRow.member_id == member_id, RoundRow.kind == RoundKind.PRACTICE.value,
                   AnswerRow.points > 0, AnswerRow.answered_at >= start,
                   AnswerRow.answered_at < end))
        return int(count or 0)

    async def practice_history(self, member_id: int) -> dict[str, bool]:
        """Question id → whether the member's latest answer to it was right."""
        rows = await self.session.execute(
            select(RoundRow.question_id, AnswerRow.correct).join(RoundRow)
            .where(AnswerRow.member_id == member_id).order_by(AnswerRow.answered_at))
        return {qid: bool(ok) for qid, ok in rows}

    async def records(self, member_id: int) -> list[AnswerRecord]:
        """Every answer of a member, with round kind, topic and domain."""
        rows = await self.session.execute(
            select(AnswerRow, RoundRow.kind, QuestionRow.topic, QuestionRow.domain,
                   RoundRow.channel_id)
            .join(RoundRow, RoundRow.id == AnswerRow.round_id)
            .join(QuestionRow, QuestionRow.id == RoundRow.question_id)
            .where(AnswerRow.member_id == member_id).order_by(AnswerRow.answered_at))
        return [AnswerRecord(_answer(a), kind, topic, domain, channel)
                for a, kind, topic, domain, channel in rows]
