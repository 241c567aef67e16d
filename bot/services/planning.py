"""Each channel's stored due instants: written when its settings change, read by the pass."""

from __future__ import annotations

from datetime import datetime

from bot.domain.channel import Channel
from bot.domain.ports import UnitOfWork
from bot.domain.schedule import plan
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
