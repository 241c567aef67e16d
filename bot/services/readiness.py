"""Readiness for the exam and the day's reviews, added to a member's stats."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.model import Member
from bot.domain.ports import UnitOfWork
from bot.domain.readiness import Readiness, readiness
from bot.domain.views import StatsView
from bot.services.deps import Deps
from bot.services.recall import domain_tallies, due_today


async def with_readiness(uow: UnitOfWork, view: StatsView, member: Member, now: datetime,
                         zone: str) -> StatsView:
    """The stats with readiness by exam domain and the reviews due today."""
    return replace(view, readiness=readiness(await domain_tallies(uow, member.id)),
                   due_today=await due_today(uow, member.id, now, zone),
                   member_id=member.id, workspace_id=member.workspace_id)


async def member_readiness(deps: Deps, workspace_id: int,
                           member_id: int) -> tuple[str, Readiness] | None:
    """A member's name and readiness, None when the member is not in that workspace."""
    async with deps.uow() as uow:
        member = await uow.members.get(member_id)
        if member is None or member.workspace_id != workspace_id:
            return None
        return member.display_name, readiness(await domain_tallies(uow, member.id))
