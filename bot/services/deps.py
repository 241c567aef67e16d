"""The dependencies every use case receives, bundled once by bootstrap."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.domain.channel import Channel
from bot.domain.ports import Clock, Leaderboard, Poster, UnitOfWorkFactory
from bot.domain.scoring import ScoringRules

SettingsListener = Callable[[Channel], Awaitable[None]]


@dataclass
class Deps:
    """Explicit dependencies of the services: storage, time, standings, posting."""

    uow: UnitOfWorkFactory
    clock: Clock
    leaderboard: Leaderboard
    poster: Poster
    rules: ScoringRules = field(default_factory=ScoringRules)
    rng: random.Random = field(default_factory=random.Random)
    settings_listeners: list[SettingsListener] = field(default_factory=list)

    async def channels_changed(self, channels: list[Channel]) -> None:
        """Tell the listeners (the scheduler) that these channels' schedules may differ now."""
        for channel in channels:
            for listener in self.settings_listeners:
                await listener(channel)
