"""A deliverer running beside a platform in tests, as a worker runs it beside `quizbot run`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from bot.services.deps import Deps
from bot.worker import Deliverer


@asynccontextmanager
async def delivering(deps: Deps) -> AsyncIterator[Deliverer]:
    """Post what commands commit to the outbox as they commit it (woken, not polling, so a
    test's own `run_due` finds the scheduled posts itself)."""
    deliverer = Deliverer(deps, poll=timedelta(minutes=10))
    deps.wake_deliverer = deliverer.wake
    deliverer.start()
    try:
        yield deliverer
    finally:
        await deliverer.stop()
