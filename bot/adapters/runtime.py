"""What a running bot holds, built by bootstrap and handed to the platforms it starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.metrics import Metrics
from bot.adapters.posting import PosterRouter
from bot.config import Settings
from bot.services.deps import Deps

if TYPE_CHECKING:
    from redis.asyncio import Redis  # imported at run time only when REDIS_URL is set


@dataclass
class Runtime:
    """What a running bot holds: settings, the engine, the services' dependencies, posting."""

    settings: Settings
    engine: AsyncEngine
    deps: Deps
    router: PosterRouter
    redis: Redis | None = None
    metrics: Metrics = field(default_factory=Metrics)
