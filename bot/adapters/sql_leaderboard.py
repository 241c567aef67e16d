"""Standings computed from the answers table: the truth, and the fallback when Redis is away."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapters.orm import AnswerRow, ChannelRow, MemberRow, RoundRow
from bot.domain.commands import Period
from bot.domain.model import RoundKind
from bot.domain.ports import Score
from bot.domain.schedule import iso_week_of
from bot.domain.standings import Standing, movers, ranked


def per_member(points: int, active: int) -> float:
    """A squad's score: points per active member, to one decimal."""
    return round(points / active, 1) if active else 0.0


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
                select(MemberRow.id, MemberRow.display_name, func.sum(AnswerRow.points))
                .join(AnswerRow, AnswerRow.member_id == MemberRow.id)
                .where(*self._filters(workspace_id, period, at), AnswerRow.points > 0)
                .group_by(MemberRow.id, MemberRow.display_name))
            return {mid: (name, int(points)) for mid, name, points in rows}

    async def squad_points(self, workspace_id: int, period: Period,
                           at: datetime) -> dict[int, tuple[str, int, set[int]]]:
        """Channel id → (name, points, active member ids); practice does not count."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(ChannelRow.id, ChannelRow.name, AnswerRow.member_id,
                       func.sum(AnswerRow.points))
                .join(RoundRow, RoundRow.channel_id == ChannelRow.id)
                .join(AnswerRow, AnswerRow.round_id == RoundRow.id)
                .where(*self._filters(workspace_id, period, at),
                       RoundRow.kind != RoundKind.PRACTICE.value)
                .group_by(ChannelRow.id, ChannelRow.name, AnswerRow.member_id))
            squads: dict[int, tuple[str, int, set[int]]] = {}
            for cid, name, member_id, points in rows:
                _, total, active = squads.get(cid, (name, 0, set()))
                active.add(member_id)
                squads[cid] = (name, total + int(points), active)
            return squads

    def _by_period(self, at: datetime) -> list[ColumnElement[int]]:
        """SUM(points) for this week and for all time, in one pass over the rows."""
        start, end = week_bounds(at)
        in_week = (AnswerRow.answered_at >= start) & (AnswerRow.answered_at < end)
        return [func.coalesce(func.sum(case((in_week, AnswerRow.points), else_=0)), 0),
                func.coalesce(func.sum(AnswerRow.points), 0)]

    async def member_sums(self, workspace_id: int, member_id: int,
                          at: datetime) -> dict[Period, int]:
        """One member's points this week and all time."""
        async with self._sessions() as session:
            week, total = (await session.execute(
                select(*self._by_period(at))
                .where(AnswerRow.workspace_id == workspace_id,
                       AnswerRow.member_id == member_id))).one()
        return {Period.WEEK: int(week), Period.ALL: int(total)}

    async def channel_sums(self, workspace_id: int, channel_id: int,
                           at: datetime) -> dict[Period, int]:
        """One channel's squad points this week and all time (practice does not count)."""
        async with self._sessions() as session:
            week, total = (await session.execute(
                select(*self._by_period(at))
                .join(RoundRow, RoundRow.id == AnswerRow.round_id)
                .where(AnswerRow.workspace_id == workspace_id,
                       RoundRow.channel_id == channel_id,
                       RoundRow.kind != RoundKind.PRACTICE.value))).one()
        return {Period.WEEK: int(week), Period.ALL: int(total)}

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
        """Top members by points."""
        points = await self.member_points(workspace_id, period, at)
        return ranked([(mid, name, p, 1) for mid, (name, p) in points.items()])[:limit]

    async def rank_of(self, workspace_id: int, period: Period, at: datetime,
                      member_id: int) -> Standing | None:
        """One member's standing."""
        points = await self.member_points(workspace_id, period, at)
        rows = ranked([(mid, name, p, 1) for mid, (name, p) in points.items()])
        return next((row for row in rows if row.key == member_id), None)

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
