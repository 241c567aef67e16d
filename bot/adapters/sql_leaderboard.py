"""Standings computed from the answers table: the truth, and the fallback when Redis is away."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapters.orm import AnswerRow, ChannelRow, MemberRow, RoundRow
from bot.domain.commands import Period
from bot.domain.ports import Score
from bot.domain.schedule import iso_week_of
from bot.domain.standings import Standing, ranked


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

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        """Top members by points."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(MemberRow.id, MemberRow.display_name, func.sum(AnswerRow.points))
                .join(AnswerRow, AnswerRow.member_id == MemberRow.id)
                .where(*self._filters(workspace_id, period, at), AnswerRow.points > 0)
                .group_by(MemberRow.id, MemberRow.display_name))
            scores = [(mid, name, float(points), 1) for mid, name, points in rows]
        return ranked(scores)[:limit]

    async def member_points(self, workspace_id: int, period: Period,
                            at: datetime) -> dict[int, int]:
        """Member id → points, for rebuilding a cache."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(AnswerRow.member_id, func.sum(AnswerRow.points))
                .where(*self._filters(workspace_id, period, at), AnswerRow.points > 0)
                .group_by(AnswerRow.member_id))
            return {mid: int(points) for mid, points in rows}

    async def squads(self, workspace_id: int, period: Period, at: datetime) -> list[Standing]:
        """Channels by points per active member (members who answered there in the period)."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(ChannelRow.id, ChannelRow.name, func.sum(AnswerRow.points),
                       func.count(distinct(AnswerRow.member_id)))
                .join(RoundRow, RoundRow.channel_id == ChannelRow.id)
                .join(AnswerRow, AnswerRow.round_id == RoundRow.id)
                .where(*self._filters(workspace_id, period, at),
                       RoundRow.kind != "practice")
                .group_by(ChannelRow.id, ChannelRow.name))
            scores = [(cid, name, round(int(points) / int(active), 1), int(active))
                      for cid, name, points, active in rows if active]
        return ranked(scores)
