"""The dependencies every use case receives, bundled once by bootstrap."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.ports import AnswerBook, Clock, Leaderboard, Poster, UnitOfWorkFactory
from bot.domain.scoring import ScoringRules


def _nobody() -> None:
    """No deliverer runs in this process; a worker's polls find the outbox rows."""


@dataclass
class Deps:
    """Explicit dependencies of the services: storage, time, standings, posting."""

    uow: UnitOfWorkFactory
    answers: AnswerBook  # the answer path's own storage: a read and a write per click
    clock: Clock
    leaderboard: Leaderboard
    poster: Poster
    rules: ScoringRules = field(default_factory=ScoringRules)
    rng: random.Random = field(default_factory=random.Random)
    # Called after committing outbox rows, so this process's deliverer posts them at once.
    wake_deliverer: Callable[[], None] = _nobody
