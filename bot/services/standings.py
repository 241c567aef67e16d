"""Leaderboards, member stats and the weekly board post."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from bot.domain.commands import Period
from bot.domain.errors import QuizError
from bot.domain.model import ExamDomain, Member, Where, Who
from bot.domain.ports import UnitOfWork
from bot.domain.schedule import iso_week_of
from bot.domain.views import BoardView, StatsView, Tally
from bot.services.deps import Deps
from bot.services.readiness import with_readiness
from bot.services.streaks import streak_before
from bot.services.tenancy import resolve

BOARD_SIZE = 10
MOVERS = 3


async def board(deps: Deps, workspace_id: int, period: Period, squads: bool,
                member_id: int | None = None, at: datetime | None = None) -> BoardView:
    """A workspace's board for the week of `at` (default now) or all time, of members or of
    channels."""
    now = at or deps.clock.now()
    week = iso_week_of(now) if period is Period.WEEK else None
    if squads:
        return BoardView(period, True, await deps.leaderboard.squads(workspace_id, period, now),
                         week)
    rows = await deps.leaderboard.members(workspace_id, period, now, BOARD_SIZE)
    climbers = (await deps.leaderboard.movers(workspace_id, now, MOVERS)
                if period is Period.WEEK else [])
    you = None
    if member_id is not None and all(row.key != member_id for row in rows):
        you = await deps.leaderboard.rank_of(workspace_id, period, now, member_id)
    return BoardView(period, False, rows, week, climbers, you)


async def show_board(deps: Deps, where: Where, who: Who, period: Period,
                     squads: bool) -> BoardView:
    """`/quiz leaderboard`: the board of the caller's workspace."""
    async with deps.uow() as uow:
        workspace, _, member = await resolve(uow, where, who)
        await uow.commit()
    return await board(deps, workspace.id, period, squads,
                       member.id if member is not None else None)


async def member_stats(deps: Deps, where: Where, who: Who, target: str | None) -> StatsView:
    """`/quiz stats [@user]`: accuracy by exam domain and topic, streak, answers given."""
    async with deps.uow() as uow:
        workspace, channel, me = await resolve(uow, where, who)
        member = me if target is None else await uow.members.find(workspace.id, target)
        if member is None:
            raise QuizError(f"I don't know `{target}` here yet: they have not played. "
                            "Use `/quiz stats @someone`.")
        view = await stats_of(uow, member, deps.clock.now())
        view = await with_readiness(uow, view, member, deps.clock.now(), channel.settings.zone)
        await uow.commit()
    return view


async def stats_of(uow: UnitOfWork, member: Member, now: datetime) -> StatsView:
    """A member's record: answers, accuracy by exam domain and by topic, daily streak."""
    records = await uow.answers.records(member.id)
    titles = {t.slug: t.title for t in await uow.questions.topics()}
    by_domain: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for record in records:
        for bucket in (by_domain[ExamDomain(record.domain).label],
                       by_topic[titles.get(record.topic, record.topic)]):
            bucket[0] += int(record.answer.correct)
            bucket[1] += 1
    daily_channels = {r.channel_id for r in records if r.kind == "daily"}
    streak = max([await streak_before(uow.answers, member.id, channel, date.max, now)
                  for channel in daily_channels], default=0)
    return StatsView(
        name=member.display_name,
        answered=len(records),
        correct=sum(r.answer.correct for r in records),
        points=sum(r.answer.points for r in records),
        streak=streak,
        by_domain=[Tally(k, *v) for k, v in sorted(by_domain.items())],
        by_topic=[Tally(k, *v) for k, v in sorted(by_topic.items())],
    )
