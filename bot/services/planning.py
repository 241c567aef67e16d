"""Each channel's stored due instants: written when its settings change, read by the pass."""

from __future__ import annotations

from datetime import datetime

from bot.domain.channel import Channel
from bot.domain.errors import QuizError
from bot.domain.ports import UnitOfWork
from bot.domain.schedule import plan, upcoming_daily, upcoming_weekly
from bot.services.deps import Deps

BATCH = 500


async def replan(uow: UnitOfWork, channel: Channel, now: datetime) -> bool:
    """Store the channel's next due instants from its settings (in the caller's transaction);
    False when the settings make nothing due."""
    due = plan(channel.settings, now, channel.due)
    await uow.channels.set_due(channel.id, due)
    return due.earliest is not None


async def plan_unplanned(deps: Deps) -> int:
    """Give due instants to scheduled channels that have none (stored before there were any)."""
    planned = 0
    while True:
        async with deps.uow() as uow:
            channels = await uow.channels.unplanned(BATCH)
            made = [await replan(uow, channel, deps.clock.now()) for channel in channels]
            await uow.commit()
        planned += sum(made)
        # A full batch of channels whose settings make nothing due would come back forever.
        if len(channels) < BATCH or not any(made):
            return planned


async def preview(deps: Deps, name: str, count: int = 5) -> list[str]:
    """The next posts of a scheduled channel (by id or name), in its local time, as the
    scheduling pass will make them."""
    async with deps.uow() as uow:
        channels = [c for c in await uow.channels.scheduled()
                    if name.lstrip("#") in (c.external_id, c.name)]
    if not channels:
        raise QuizError(f"No scheduled channel is called {name!r}. Set one up with "
                        "`/quiz daily 09:00 Europe/Berlin` in the channel first.")
    now = deps.clock.now()
    lines: list[str] = []
    for channel in channels:
        zone = channel.settings.tz
        lines.append(f"#{channel.name} ({channel.external_id}), times in {channel.settings.zone}:")
        for slot in upcoming_daily(channel.settings, channel.due, now, count):
            lines.append(f"  daily question {slot.opens_at.astimezone(zone):%a %Y-%m-%d %H:%M}"
                         f", reveal {slot.closes_at.astimezone(zone):%H:%M}")
        if (weekly := upcoming_weekly(channel.settings, channel.due, now)) is not None:
            lines.append(f"  weekly board   {weekly.astimezone(zone):%a %Y-%m-%d %H:%M}")
    return lines
