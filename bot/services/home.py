"""A member's home page: their own record and the schedules of their workspace's channels."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import Who
from bot.domain.views import SettingsView, StatsView
from bot.services.deps import Deps
from bot.services.readiness import with_readiness
from bot.services.settings import settings_view
from bot.services.standings import stats_of


@dataclass(frozen=True)
class HomeView:
    """What a platform's home tab shows: the member's stats and each scheduled channel."""

    stats: StatsView
    channels: list[SettingsView]


async def member_home(deps: Deps, platform: str, workspace: str, who: Who) -> HomeView:
    """The caller's stats and the schedules of the channels that play in their workspace.

    No channel is created here: a home tab is not a channel that could be scheduled.
    """
    now = deps.clock.now()
    async with deps.uow() as uow:
        tenant = await uow.workspaces.ensure(platform, workspace, workspace)
        member = await uow.members.ensure(tenant.id, who.external_id, who.display_name)
        # A home tab has no channel, so "today" for the reviews due is the UTC day.
        stats = await with_readiness(uow, await stats_of(uow, member, now), member, now, "UTC")
        channels = await uow.channels.in_workspace(tenant.id)
        await uow.commit()
    playing = [c for c in channels
               if c.settings.daily_time is not None or c.disabled is not None]
    return HomeView(stats, [settings_view(c, now) for c in playing])
