"""Standings computed from the answers table: the truth, and the fallback when Redis is away."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, String, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapters.orm import AnswerRow, ChannelRow, MemberPointsRow, MemberRow, RoundRow
from bot.domain.commands import Period
from bot.domain.model import RoundKind
from bot.domain.ports import Score
from bot.domain.schedule import iso_week_of
from bot.domain.standings import Standing, movers, ranked


def per_member(points: int, active: int) -> float:
    """A squad's score: points per active member, to one decimal."""
    return round(points / active, 1) if active else 0.0


def period_key(period: Period, at: datetime) -> str:
    """A board's name: 'all', or 'w:2027-12' for the UTC ISO week containing `at`."""
    if period is Period.ALL:
        return "all"
    year, week = iso_week_of(at)
    return f"w:{year}-{week:02d}"


def week_bounds(at: datetime) -> tuple[datetime, datetime]:
    """The UTC start and end of the ISO week containing `at`."""
    year, week = iso_week_of(at)
    start = datetime.fromisocalendar(year, week, 1).replace(tzinfo=at.tzinfo)
    return start, start + timedelta(days=7)


class SqlLeaderboard:
    """Leaderboard port over SQL aggregates."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, score: Score) -> None:
        """Nothing to do: the answer row is the record."""

    def _filters(self, workspace_id: int, period: Period,
                 at: datetime) -> list[ColumnElement[bool]]:
        filters = [AnswerRow.workspace_id == workspace_id]
        if period is Period.WEEK:
            start, end = week_bounds(at)
            filters += [AnswerRow.answered_at >= start, AnswerRow.answered_at < end]
        return filters

    async def member_points(self, workspace_id: int, period: Period,
                            at: datetime) -> dict[int, tuple[str, int]]:
        """Member id → (name, points) for members with points."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(MemberRow.id, MemberRow.display_name, MemberPointsRow.points)
                .join(MemberPointsRow, MemberPointsRow.member_id == MemberRow.id)
                .where(*self._board(workspace_id, period, at), MemberPointsRow.points > 0))
            return {mid: (name, int(points)) for mid, name, points in rows}

    @staticmethod
    def _board(workspace_id: int, period: Period, at: datetime) -> list[ColumnElement[bool]]:
        return [MemberPointsRow.workspace_id == workspace_id,
                MemberPointsRow.period == period_key(period, at)]

    async def squad_points(self, workspace_id: int, period: Period, at: datetime,
                           up_to: int | None = None) -> dict[int, tuple[str, int, set[int]]]:
        """Channel id → (name, points, active member ids); practice does not count.
        With `up_to`, only answers with ids up to it."""
        filters = self._filters(workspace_id, period, at)
        if up_to is not None:
            filters.append(AnswerRow.id <= up_to)
        async with self._sessions() as session:
            rows = await session.execute(
                select(ChannelRow.id, ChannelRow.name, AnswerRow.member_id,
                       func.sum(AnswerRow.points))
                .join(RoundRow, RoundRow.channel_id == ChannelRow.id)
                .join(AnswerRow, AnswerRow.round_id == RoundRow.id)
                .where(*filters, RoundRow.kind != RoundKind.PRACTICE.value)
                .group_by(ChannelRow.id, ChannelRow.name, AnswerRow.member_id))
            squads: dict[int, tuple[str, int, set[int]]] = {}
            for cid, name, member_id, points in rows:
                _, total, active = squads.get(cid, (name, 0, set()))
                active.add(member_id)
                squads[cid] = (name, total + int(points), active)
            return squads

    async def answer_sums(self, workspace_id: int, period: Period, at: datetime,
                          up_to: int) -> dict[int, tuple[str, int]]:
        """Member id → (name, points) summed from the answers with ids up to `up_to`."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(MemberRow.id, MemberRow.display_name, func.sum(AnswerRow.points))
                .join(AnswerRow, AnswerRow.member_id == MemberRow.id)
                .where(*self._filters(workspace_id, period, at), AnswerRow.points > 0,
                       AnswerRow.id <= up_to)
                .group_by(MemberRow.id, MemberRow.display_name))
            return {mid: (name, int(points)) for mid, name, points in rows}

    async def settled_high_water(self) -> int:
        """The largest answer id such that no answer with a smaller id can still commit.

        On PostgreSQL a SHARE lock on answers waits for every transaction that is inserting
        one and lets no new one start; ids are handed out in order, so once it is held every
        id up to the maximum is final. It is released at once. SQLite runs one writer at a time.
        """
        async with self._sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                await session.execute(text("LOCK TABLE answers IN SHARE MODE"))
            top = await session.scalar(select(func.coalesce(func.max(AnswerRow.id), 0)))
            await session.commit()
        return int(top or 0)

    async def answers_after(self, workspace_id: int, after: int) -> list[Score]:
        """The workspace's answers with ids above `after`, as the leaderboard records them."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(AnswerRow.id, AnswerRow.member_id, MemberRow.display_name,
                       AnswerRow.points, AnswerRow.answered_at, RoundRow.channel_id,
                       RoundRow.kind)
                .join(MemberRow, MemberRow.id == AnswerRow.member_id)
                .join(RoundRow, RoundRow.id == AnswerRow.round_id)
                .where(AnswerRow.workspace_id == workspace_id, AnswerRow.id > after)
                .order_by(AnswerRow.id))
            return [Score(workspace_id, channel, member, name, points, at,
                          squad=kind != RoundKind.PRACTICE.value, answer_id=answer_id)
                    for answer_id, member, name, points, at, channel, kind in rows]

    async def channel_names(self, workspace_id: int) -> dict[int, str]:
        """Channel id → name for a workspace."""
        async with self._sessions() as session:
            rows = await session.execute(select(ChannelRow.id, ChannelRow.name)
                                         .where(ChannelRow.workspace_id == workspace_id))
            return {cid: name for cid, name in rows}

    async def workspace_ids(self) -> list[int]:
        """Every workspace with answers, for a full rebuild."""
        async with self._sessions() as session:
            rows = await session.scalars(select(AnswerRow.workspace_id).distinct())
            return sorted(rows)

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        """Top members by points: the first entries of the board's index."""
        async with self._sessions() as session:
            rows = (await session.execute(
                select(MemberRow.id, MemberRow.display_name, MemberPointsRow.points)
                .join(MemberPointsRow, MemberPointsRow.member_id == MemberRow.id)
                .where(*self._board(workspace_id, period, at), MemberPointsRow.points > 0)
                # Ties in Redis come in descending order of the member as text; the same
                # here, so both name the same members at a tie on the last place shown.
                .order_by(MemberPointsRow.points.desc(),
                          cast(MemberPointsRow.member_id, String).desc())
                .limit(limit))).all()
        return ranked([(mid, name, p, 1) for mid, name, p in rows])[:limit]

    async def rank_of(self, workspace_id: int, period: Period, at: datetime,
                      member_id: int) -> Standing | None:
        """One member's standing: one more than the members with more points (ties share)."""
        async with self._sessions() as session:
            found = (await session.execute(
                select(MemberRow.display_name, MemberPointsRow.points)
                .join(MemberPointsRow, MemberPointsRow.member_id == MemberRow.id)
                .where(*self._board(workspace_id, period, at),
                       MemberPointsRow.member_id == member_id,
                       MemberPointsRow.points > 0))).first()
            if found is None:
                return None
            name, points = found
            higher = await session.scalar(
                select(func.count()).select_from(MemberPointsRow)
                .where(*self._board(workspace_id, period, at),
                       MemberPointsRow.points > points))
        return Standing(int(higher or 0) + 1, member_id, name, points)

    async def squads(self, workspace_id: int, period: Period, at: datetime) -> list[Standing]:
        """Channels by points per active member (members who answered there in the period)."""
        squads = await self.squad_points(workspace_id, period, at)
        return ranked([(cid, name, per_member(points, len(active)), len(active))
                       for cid, (name, points, active) in squads.items()])

    async def movers(self, workspace_id: int, at: datetime, limit: int) -> list[tuple[str, int]]:
        """Biggest climbers of the all-time board this week."""
        all_time = await self.member_points(workspace_id, Period.ALL, at)
        week = await self.member_points(workspace_id, Period.WEEK, at)
        return movers({k: (n, float(p)) for k, (n, p) in all_time.items()},
                      {k: float(p) for k, (_, p) in week.items()}, limit)
