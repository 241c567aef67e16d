"""Time passing in the terminal: step from one scheduled event to the next, doing what is due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.ports import Clock
from bot.domain.schedule import current_daily_slot, next_daily_slots, next_weekly
from bot.services.deps import Deps
from bot.services.due import run_due

MAX_STEPS = 10_000  # a year of dailies, reveals and boards in many channels, and then some
_FAR = timedelta(days=3660)


class MovableClock(Clock, Protocol):
    """A clock the terminal can move: forward with `/wait`, back with `/reset`."""

    def set(self, moment: datetime) -> None:
        """Jump to an instant."""
        ...


async def next_event_after(deps: Deps, after: datetime) -> datetime | None:
    """The earliest instant after `after` when a daily question, a reveal or a board is due."""
    # Stands in for the scheduler's own answer (from each channel's stored next due instants)
    # until that is available; it reads the same settings and the open rounds.
    moments: list[datetime] = []
    async with deps.uow() as uow:
        channels = await uow.channels.scheduled()
        unclosed = await uow.rounds.due_to_close(after + _FAR)
    moments += [r.closes_at for r in unclosed if r.closes_at > after]
    for channel in channels:
        settings = channel.settings
        moments += [slot.opens_at for slot in next_daily_slots(settings, after, 1)]
        current = current_daily_slot(settings, after)
        if current is not None and current.closes_at > after:
            moments.append(current.closes_at)
        if (weekly := next_weekly(settings, after)) is not None:
            moments.append(weekly)
    return min(moments, default=None)


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
