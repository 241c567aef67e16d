"""Everything that is due at the clock's current time: daily posts, reveals, weekly boards."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.domain.schedule import current_daily_slot, due_weekly_week
from bot.domain.views import BoardView, QuestionView, RevealView
from bot.services.asking import open_daily
from bot.services.deps import Deps
from bot.services.revealing import close_due_rounds
from bot.services.standings import post_weekly

log = logging.getLogger(__name__)


@dataclass
class DueWork:
    """What one pass posted."""

    questions: list[QuestionView] = field(default_factory=list)
    reveals: list[RevealView] = field(default_factory=list)
    boards: list[BoardView] = field(default_factory=list)


async def run_due(deps: Deps) -> DueWork:
    """Close rounds past their window, then open due dailies and post due weekly boards.

    Each step is idempotent (unique keys), so running this often, or from two processes, is safe.
    """
    done = DueWork(reveals=await close_due_rounds(deps))
    async with deps.uow() as uow:
        channels = await uow.channels.scheduled()
    now = deps.clock.now()
    for channel in channels:
        try:  # one channel's trouble must not hold up the others
            # The settings in hand say whether anything can be due; most passes find nothing.
            if current_daily_slot(channel.settings, now) is not None:
                question = await open_daily(deps, channel.id)
                if question is not None:
                    done.questions.append(question)
            if due_weekly_week(channel.settings, now) is not None:
                board = await post_weekly(deps, channel.id)
                if board is not None:
                    done.boards.append(board)
        except Exception:
            log.exception("the scheduled work of channel %s failed", channel.id)
    return done
