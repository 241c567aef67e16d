"""Time passing in the terminal: step from one scheduled event to the next, doing what is due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from bot.domain.ports import Clock
from bot.services.deps import Deps
from bot.services.due import next_event_after, run_due

MAX_STEPS = 10_000  # a year of dailies, reveals and boards in many channels, and then some


class MovableClock(Clock, Protocol):
    """A clock the terminal can move: forward with `/wait`, back with `/reset`."""

    def set(self, moment: datetime) -> None:
        """Jump to an instant."""
        ...


Shown = Callable[[], str]
NextEvent = Callable[[Deps, datetime], Awaitable[datetime | None]]


async def pass_time(deps: Deps, clock: MovableClock, until: datetime, shown: Shown,
                    next_event: NextEvent = next_event_after) -> list[tuple[datetime, str]]:
    """Move the clock to `until` event by event; return what appeared at each instant."""
    appeared: list[tuple[datetime, str]] = []
    for _ in range(MAX_STEPS):
        moment = await next_event(deps, clock.now())
        if moment is None or moment > until:
            break
        clock.set(moment)
        await run_due(deps)
        if text := shown():
            appeared.append((moment, text))
    clock.set(max(until, clock.now()))
    await run_due(deps)
    if text := shown():
        appeared.append((clock.now(), text))
    return appeared
