"""Rounds, answers and weekly posts in SQL."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import (
    AnswerRow,
    ChannelRow,
    MemberPointsRow,
    MemberRow,
    QuestionRow,
    RoundRow,
    TopicRow,
    WorkspaceRow,
)
from bot.adapters.sql_questions import to_domain as question_of
from bot.adapters.sql_tenants import settings_of
from bot.domain.channel import Channel
from bot.domain.errors import AlreadyAnswered
from bot.domain.model import Answer, Difficulty, ExamDomain, Member, Question, Round, RoundKind
from bot.domain.ports import Answering, AnswerRecord, Duplicate
from bot.domain.schedule import Due, iso_week_of


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

    async def set_message_refs(self, refs: Mapping[int, str]) -> None:
        """Remember the messages showing rounds, in one statement."""
        if refs:
            await self.session.execute(
                update(RoundRow).where(RoundRow.id.in_(list(refs)))
                .values(message_ref=case(dict(refs), value=RoundRow.id))
                .execution_options(synchronize_session=False))

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

    async def add(self, answer: Answer) -> int:
        """Insert the answer and add its points to the member's totals; the unique (round,
        member) key turns a second answer into AlreadyAnswered. One statement on PostgreSQL."""
        values = {"round_id": answer.round_id, "member_id": answer.member_id,
                  "choices": sorted(answer.choices), "correct": answer.correct,
                  "points": answer.points, "streak": answer.streak, "at": answer.answered_at,
                  "week": week_period(answer.answered_at)}
        if self.session.get_bind().dialect.name == "postgresql":
            connection = await self.session.connection()
            answer_id = (await connection.exec_driver_sql(ADD_ANSWER_SQL, (
                answer.round_id, answer.member_id, json.dumps(values["choices"]),
                answer.correct, answer.points, answer.streak, answer.answered_at,
                values["week"]))).scalar()
        else:
            answer_id = await self._add_one_by_one(values)
        if answer_id is None:
            raise AlreadyAnswered("You have already answered; the first answer counts.")
        return int(answer_id)

    async def _add_one_by_one(self, values: dict[str, object]) -> int | None:
        """SQLite has no INSERT in a WITH, so the same work as ADD_ANSWER in three statements."""
        workspace_id = await self.session.scalar(select(RoundRow.workspace_id)
                                                 .where(RoundRow.id == values["round_id"]))
        row = AnswerRow(workspace_id=workspace_id, round_id=values["round_id"],
                        member_id=values["member_id"], choices=values["choices"],
                        correct=values["correct"], points=values["points"],
                        streak=values["streak"], answered_at=values["at"])
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        if row.points > 0:
            for period in ("all", str(values["week"])):
                upsert = sqlite.insert(MemberPointsRow).values(
                    workspace_id=workspace_id, period=period, member_id=row.member_id,
                    points=row.points)
                await self.session.execute(upsert.on_conflict_do_update(
                    index_elements=["workspace_id", "period", "member_id"],
                    set_={"points": MemberPointsRow.points + upsert.excluded.points}))
        return row.id

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

    async def answering(self, round_id: int, platform: str, workspace: str,
                        member: str) -> Answering | None:
        """Round, question, channel, topic title, member and earlier answer in one query.

        No lock: the answer's write (bot.adapters.answer_book) checks again that the round is
        open and share-locks it while it stores the answer.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            connection = await self.session.connection()
            row = (await connection.exec_driver_sql(
                ANSWERING_SQL, (round_id, platform, workspace, member))).first()
            return None if row is None else answering_of(row, member)
        found = (await self.session.execute(ANSWERING, {
            "round_id": round_id, "platform": platform, "workspace": workspace,
            "member": member})).first()
        if found is None:
            return None
        round_row, channel, question, title, member_row, answer = found
        return Answering(
            _round(round_row), question_of(question),
            Channel(channel.id, channel.workspace_id, channel.external_id, channel.name,
                    settings_of(channel), channel.disabled),
            title or "",
            Member(member_row.id, member_row.workspace_id, member_row.external_id,
                   member_row.display_name) if member_row is not None else None,
            _answer(answer) if answer is not None else None)

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        """Latest daily rounds before a date, newest first, each with the member's result."""
        rows = await self.session.execute(
            select(RoundRow, AnswerRow.correct)
            .outerjoin(AnswerRow, (AnswerRow.round_id == RoundRow.id)
                       & (AnswerRow.member_id == member_id))
            .where(RoundRow.channel_id == channel_id, RoundRow.local_date.is_not(None),
                   RoundRow.local_date < before)
            .order_by(RoundRow.local_date.desc()).limit(limit))
        return [(_round(r), None if ok is None else bool(ok)) for r, ok in rows]


# Built once: constructing a statement costs more than running it on the answer path.
ANSWERING = (
    select(RoundRow, ChannelRow, QuestionRow, TopicRow.title, MemberRow, AnswerRow)
    .join(WorkspaceRow, (WorkspaceRow.id == RoundRow.workspace_id)
          & (WorkspaceRow.platform == bindparam("platform"))
          & (WorkspaceRow.external_id == bindparam("workspace")))
    .join(ChannelRow, ChannelRow.id == RoundRow.channel_id)
    .join(QuestionRow, QuestionRow.id == RoundRow.question_id)
    .outerjoin(TopicRow, TopicRow.slug == QuestionRow.topic)
    .outerjoin(MemberRow, (MemberRow.workspace_id == RoundRow.workspace_id)
               & (MemberRow.external_id == bindparam("member")))
    .outerjoin(AnswerRow, (AnswerRow.round_id == RoundRow.id)
               & (AnswerRow.member_id == MemberRow.id))
    .where(RoundRow.id == bindparam("round_id")))


def week_period(at: datetime) -> str:
    """The member_points period of an instant's UTC ISO week, e.g. 'w:2027-12'."""
    year, week = iso_week_of(at)
    return f"w:{year}-{week:02d}"


def totals_after(week: str) -> str:
    """The end of a WITH whose `a` inserted an answer (RETURNING workspace_id, member_id,
    points): a CTE adding its points to the member's totals, all-time and for the week's
    period in parameter `week` ('$8', say), in the answer's own statement. Totals are per
    member, so answers by different people never wait on one row."""
    return f"""
), totals AS (
    INSERT INTO member_points (workspace_id, period, member_id, points)
    SELECT a.workspace_id, p.period, a.member_id, a.points
    FROM a CROSS JOIN (VALUES ('all'), (CAST({week} AS VARCHAR))) AS p(period)
    WHERE a.points > 0
    ON CONFLICT (workspace_id, period, member_id)
    DO UPDATE SET points = member_points.points + excluded.points
)
"""


# One round trip: the answer (unless the member answered already) and both of the member's
# totals.
ADD_ANSWER_SQL = """
WITH a AS (
    INSERT INTO answers (workspace_id, round_id, member_id, choices, correct, points, streak,
                         answered_at)
    VALUES ((SELECT workspace_id FROM rounds WHERE id = $1), $1, $2,
            CAST($3 AS JSON), $4, $5, $6, $7)
    ON CONFLICT (round_id, member_id) DO NOTHING
    RETURNING id, workspace_id, member_id, points
""" + totals_after("$8") + """
SELECT id FROM a
"""

def answering_of(row: Sequence[Any], member: str) -> Answering:
    """An Answering from a row of ANSWERING_SQL (the driver's own SQL: on the answer path,
    compiling and caching a statement and building ORM objects cost more than PostgreSQL
    takes to run it); `member` is the platform id it was read for."""
    (rid, workspace_id, channel_id, question_id, kind, opened_at, closes_at, seed,
     closed_at, local_date, player, message_ref,
     channel_ext, channel_name, daily_time, zone, days, window, pop_window, topics,
     weekly_day, weekly_time, disabled, next_daily, next_weekly,
     topic, domain, difficulty, text_, choices, answer, explanation, retired, title,
     member_id, member_name, previous, correct, points, answered_at, streak) = row
    settings = settings_of(ChannelRow(
        daily_time=daily_time, zone=zone, days=days, window_minutes=window,
        pop_window_minutes=pop_window, topics=topics, weekly_day=weekly_day,
        weekly_time=weekly_time))
    return Answering(
        Round(rid, workspace_id, channel_id, question_id, RoundKind(kind), opened_at,
              closes_at, seed, closed_at, local_date, player, message_ref),
        Question(question_id, topic, ExamDomain(domain), Difficulty(difficulty), text_,
                 tuple(json.loads(choices)), frozenset(json.loads(answer)), explanation,
                 retired),
        Channel(channel_id, workspace_id, channel_ext, channel_name, settings, disabled,
                Due(next_daily, next_weekly)),
        title or "",
        Member(member_id, workspace_id, member, member_name)
        if member_id is not None else None,
        Answer(rid, member_id, frozenset(json.loads(previous)), correct, points,
               answered_at, streak) if previous is not None else None)


# What ANSWERING reads, in PostgreSQL's own words (the order answering_of unpacks).
ANSWERING_SQL = """
SELECT r.id, r.workspace_id, r.channel_id, r.question_id, r.kind, r.opened_at, r.closes_at,
       r.seed, r.closed_at, r.local_date, r.member_id, r.message_ref,
       c.external_id, c.name, c.daily_time, c.zone, c.days, c.window_minutes,
       c.pop_window_minutes, c.topics, c.weekly_day, c.weekly_time, c.disabled,
       c.next_daily_at, c.next_weekly_at,
       q.topic, q.domain, q.difficulty, q.text, q.choices::text, q.answer::text, q.explanation,
       q.retired, t.title, m.id, m.display_name,
       a.choices::text, a.correct, a.points, a.answered_at, a.streak
FROM rounds r
JOIN workspaces w ON w.id = r.workspace_id AND w.platform = $2 AND w.external_id = $3
JOIN channels c ON c.id = r.channel_id
JOIN questions q ON q.id = r.question_id
LEFT JOIN topics t ON t.slug = q.topic
LEFT JOIN members m ON m.workspace_id = r.workspace_id AND m.external_id = $4
LEFT JOIN answers a ON a.round_id = r.id AND a.member_id = m.id
WHERE r.id = $1
"""
