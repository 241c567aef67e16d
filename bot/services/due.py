"""Everything that is due at the clock's time, in one call: what the terminal and tests run.

A worker runs the same steps apart: the scheduling pass and the close pass periodically, the
deliverer continuously.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.views import BoardView, QuestionView, RevealView
from bot.services.deps import Deps
from bot.services.outbox import deliver_all
from bot.services.revealing import close_due_rounds
from bot.services.scheduling import schedule_pass

INLINE = "inline"  # the claim owner of deliveries posted by run_due


@dataclass
class DueWork:
    """What one run posted."""

    questions: list[QuestionView] = field(default_factory=list)
    reveals: list[RevealView] = field(default_factory=list)
    boards: list[BoardView] = field(default_factory=list)


async def run_due(deps: Deps) -> DueWork:
    """Close rounds past their window, open due daily questions and boards, then post all.

    Every step is idempotent and claims its work, so running it often, or from two processes,
    is safe.
    """
    await close_due_rounds(deps)
    await schedule_pass(deps)
    done = DueWork()
    for posted in await deliver_all(deps, INLINE):
        view = posted.view
        if isinstance(view, QuestionView):
            done.questions.append(view)
        elif isinstance(view, RevealView):
            done.reveals.append(view)
        else:
            done.boards.append(view)
    return done


async def next_event_after(deps: Deps, after: datetime) -> datetime | None:
    """The earliest instant after `after` at which scheduled work is due: a daily question or
    weekly board, a round's end, a post waiting to be retried."""
    async with deps.uow() as uow:
        moments = [await uow.channels.next_due_after(after),
                   await uow.rounds.next_close_after(after),
                   await uow.deliveries.next_after(after)]
    found = [m for m in moments if m is not None]
    return min(found) if found else None
