"""The one scheduling pass: open due daily questions and queue due weekly boards.

Any number of workers may run it at once. Each claims due channels with SKIP LOCKED and, in
one transaction per batch, writes the rounds and outbox entries and advances the channels'
due instants, so every post is decided exactly once and a pass costs O(due channels).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime

from bot.domain.channel import Channel
from bot.domain.errors import QuizError
from bot.domain.model import Question, Round, RoundKind
from bot.domain.outbox import Delivery, DeliveryKind
from bot.domain.ports import Duplicate, UnitOfWork
from bot.domain.schedule import (
    Due,
    Slot,
    after_daily,
    daily_slot_at,
    due_weekly_week,
    next_weekly,
)
from bot.services.asking import pick_for_channel
from bot.services.deps import Deps

log = logging.getLogger(__name__)
BATCH = 100


async def schedule_pass(deps: Deps) -> int:
    """Handle every channel whose due instant has come; returns how many were handled."""
    now = deps.clock.now()
    handled = 0
    while True:
        async with deps.uow() as uow:
            channels = await uow.channels.claim_due(now, BATCH)
            # Read once per batch, not per channel: the bank is the same for all of them.
            bank = await uow.questions.all() if channels else []
            for channel in channels:
                await _advance(deps, uow, channel, now, bank)
            await uow.commit()
        handled += len(channels)
        if len(channels) < BATCH:
            return handled


async def _advance(deps: Deps, uow: UnitOfWork, channel: Channel, now: datetime,
                   bank: Sequence[Question]) -> None:
    settings, daily, weekly = channel.settings, channel.due.daily, channel.due.weekly
    while daily is not None and daily <= now:
        slot = daily_slot_at(settings, daily)
        # A slot whose window closed while no worker ran is skipped, never asked late.
        if slot is not None and now < slot.closes_at:
            await _open_daily(deps, uow, channel, slot, now, bank)
        daily = after_daily(settings, daily, now)  # later than `daily`: the loop ends
    if weekly is not None and weekly <= now:
        year, week, _ = weekly.astimezone(settings.tz).isocalendar()
        if due_weekly_week(settings, now) == (year, week):  # still that week, locally
            with contextlib.suppress(Duplicate):  # queued already (settings changed meanwhile)
                await uow.deliveries.add(Delivery(0, channel.workspace_id, channel.id,
                                                  DeliveryKind.BOARD, now, week=(year, week)))
        weekly = next_weekly(settings, now)
    await uow.channels.set_due(channel.id, Due(daily, weekly))


async def _open_daily(deps: Deps, uow: UnitOfWork, channel: Channel, slot: Slot,
                      now: datetime, bank: Sequence[Question]) -> None:
    if await uow.rounds.daily_on(channel.id, slot.local_date) is not None:
        return
    try:
        question = await pick_for_channel(deps, uow, channel, bank)
    except QuizError as error:
        log.warning("no daily question for #%s (%s): %s", channel.name, channel.external_id,
                    error)
        return
    try:
        round_ = await uow.rounds.add(Round(
            id=0, workspace_id=channel.workspace_id, channel_id=channel.id,
            question_id=question.id, kind=RoundKind.DAILY, opened_at=now,
            closes_at=slot.closes_at, seed=deps.rng.getrandbits(31),
            local_date=slot.local_date))
    except Duplicate:
        return
    await uow.deliveries.add(Delivery(0, channel.workspace_id, channel.id,
                                      DeliveryKind.QUESTION, now, round_id=round_.id))
