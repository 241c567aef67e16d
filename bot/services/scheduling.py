"""The one scheduling pass: open due daily questions and queue due weekly boards.

Any number of workers may run it at once. Each claims due channels with SKIP LOCKED and, in
one transaction per batch, writes the rounds and outbox entries and advances the channels'
due instants, so every post is decided exactly once and a pass costs O(due channels).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain import selection
from bot.domain.channel import Channel
from bot.domain.model import Question, Round, RoundKind
from bot.domain.outbox import Delivery, DeliveryKind
from bot.domain.ports import Duplicate, UnitOfWork
from bot.domain.reports import held_back
from bot.domain.schedule import (
    Due,
    Slot,
    after_daily,
    daily_slot_at,
    due_weekly_week,
    next_weekly,
)
from bot.services.deps import Deps

log = logging.getLogger(__name__)
BATCH = 1000
FIRST_BATCH = 200


async def schedule_pass(deps: Deps, committed: Callable[[], None] | None = None) -> int:
    """Handle every channel whose due instant has come; returns how many were handled.
    `committed` is called after each batch that queued posts, so they can go out while the
    next batch is written."""
    now = deps.clock.now()
    handled = 0
    pools = _Pools()
    while True:
        # A small first batch: every workspace's first posts go out sooner.
        size = FIRST_BATCH if not handled else BATCH
        async with deps.uow() as uow:
            channels = await uow.channels.claim_due(now, size)
            await _advance(deps, uow, channels, now, pools)
            await uow.commit()
        if channels and committed is not None:
            committed()
        handled += len(channels)
        if len(channels) < size:
            return handled


class _Pools:
    """The question bank, read once per pass (it is the same for every channel), the
    questions each topic filter allows, and those each workspace's reports hold back."""

    def __init__(self) -> None:
        self._bank: list[Question] | None = None
        self._eligible: dict[frozenset[str], list[Question]] = {}
        self._held: dict[int, frozenset[str]] = {}

    async def eligible(self, uow: UnitOfWork, topics: frozenset[str]) -> list[Question]:
        """The live questions within a topic filter."""
        if self._bank is None:
            self._bank = await uow.questions.all()
        if topics not in self._eligible:
            self._eligible[topics] = selection.eligible(self._bank, topics)
        return self._eligible[topics]

    async def usable(self, uow: UnitOfWork, workspace_id: int,
                     topics: frozenset[str]) -> list[Question]:
        """The live questions within a topic filter that the workspace's reports do not
        hold back."""
        if workspace_id not in self._held:
            self._held[workspace_id] = held_back(await uow.reports.open_in(workspace_id))
        held = self._held[workspace_id]
        pool = await self.eligible(uow, topics)
        return [q for q in pool if q.id not in held] if held else pool


@dataclass(frozen=True)
class _Opening:
    channel: Channel
    slot: Slot


async def _advance(deps: Deps, uow: UnitOfWork, channels: list[Channel],
                   now: datetime, pools: _Pools) -> None:
    """A batch of due channels in a few statements: a round and a post per daily slot due,
    the weekly boards due, and every channel's next due instants."""
    openings: list[_Opening] = []
    dues: dict[int, Due] = {}
    for channel in channels:
        settings, daily, weekly = channel.settings, channel.due.daily, channel.due.weekly
        while daily is not None and daily <= now:
            slot = daily_slot_at(settings, daily)
            # A slot whose window closed while no worker ran is skipped, never asked late.
            if slot is not None and now < slot.closes_at:
                openings.append(_Opening(channel, slot))
            daily = after_daily(settings, daily, now)  # later than `daily`: the loop ends
        if weekly is not None and weekly <= now:
            await _queue_board(uow, channel, weekly, now)
            weekly = next_weekly(settings, now)
        dues[channel.id] = Due(daily, weekly)
    await _open_dailies(deps, uow, openings, now, pools)
    await uow.channels.set_dues(dues)


async def _queue_board(uow: UnitOfWork, channel: Channel, weekly: datetime,
                       now: datetime) -> None:
    year, week, _ = weekly.astimezone(channel.settings.tz).isocalendar()
    if due_weekly_week(channel.settings, now) == (year, week):  # still that week, locally
        with contextlib.suppress(Duplicate):  # queued already (settings changed meanwhile)
            await uow.deliveries.add(Delivery(0, channel.workspace_id, channel.id,
                                              DeliveryKind.BOARD, now, week=(year, week)))


async def _open_dailies(deps: Deps, uow: UnitOfWork, openings: list[_Opening],
                        now: datetime, pools: _Pools) -> None:
    if not openings:
        return
    ids = {o.channel.id for o in openings}
    taken = await uow.rounds.daily_dates(ids, {o.slot.local_date for o in openings})
    asked = await uow.rounds.times_asked_in(ids)
    rounds: list[Round] = []
    for opening in openings:
        channel, slot = opening.channel, opening.slot
        if (channel.id, slot.local_date) in taken:
            continue
        counts = asked.setdefault(channel.id, {})
        question = selection.pick_for_channel(
            await pools.usable(uow, channel.workspace_id, channel.settings.topics), counts,
            deps.rng)
        if question is None:
            log.warning("no daily question for #%s (%s): no question matches its topics "
                        "that reports do not hold back",
                        channel.name, channel.external_id)
            continue
        counts[question.id] = counts.get(question.id, 0) + 1
        rounds.append(Round(
            id=0, workspace_id=channel.workspace_id, channel_id=channel.id,
            question_id=question.id, kind=RoundKind.DAILY, opened_at=now,
            closes_at=slot.closes_at, seed=deps.rng.getrandbits(31),
            local_date=slot.local_date))
    added = await uow.rounds.add_dailies(rounds)
    await uow.deliveries.add_posts([Delivery(0, r.workspace_id, r.channel_id,
                                             DeliveryKind.QUESTION, now, round_id=r.id)
                                    for r in added])
