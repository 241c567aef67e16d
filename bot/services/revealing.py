"""Close rounds at the end of their window and queue the reveal, exactly once."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain.model import RoundKind
from bot.domain.outbox import Delivery, DeliveryKind, DeliveryStatus
from bot.services.deps import Deps

log = logging.getLogger(__name__)


async def close_round(deps: Deps, round_id: int, now: datetime | None = None) -> bool:
    """Close a round and queue its reveal; False when there is nothing to do (yet).

    A reveal goes out only for a question the channel saw: a question still being posted is
    left for the next pass, and one that never went out is dropped with its round.
    """
    now = now or deps.clock.now()
    async with deps.uow() as uow:
        round_ = await uow.rounds.get(round_id)
        if round_ is None or round_.closed_at is not None:
            return False
        posted = None
        if round_.kind is not RoundKind.PRACTICE:
            posted = await uow.deliveries.of_round(round_id, DeliveryKind.QUESTION)
            if (posted is not None and posted.status is DeliveryStatus.PENDING
                    and posted.claimed_until is not None and posted.claimed_until > now):
                return False  # a deliverer is posting it right now; its outcome decides
        if not await uow.rounds.close(round_id, now):
            return False
        if posted is not None and posted.status is not DeliveryStatus.DONE:
            await uow.deliveries.drop(posted.id, "its window ended before it was posted")
            log.warning("round %s closed unseen: its question was never posted", round_id)
        elif round_.kind is not RoundKind.PRACTICE:
            await uow.deliveries.add(Delivery(0, round_.workspace_id, round_.channel_id,
                                              DeliveryKind.REVEAL, now, round_id=round_id))
        await uow.commit()
    return True


async def close_due_rounds(deps: Deps) -> int:
    """Close every round whose window has passed; returns how many closed."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        due = await uow.rounds.due_to_close(now)
    closed = 0
    for round_ in due:
        try:
            closed += await close_round(deps, round_.id, now)
        except Exception:  # one broken round must not keep the others from their reveal
            log.exception("closing round %s failed", round_.id)
    return closed
