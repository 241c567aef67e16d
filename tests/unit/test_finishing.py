"""Storing posts as done: a deliverer that stops drains what is waiting instead of losing it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.model import Where, Who
from bot.domain.outbox import Delivery, DeliveryStatus
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.finishing import Finisher
from tests.unit.fake_deps import deps_on
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
NOW = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


async def claimed_pop_quizzes(deps: Deps, channels: list[str]) -> list[Delivery]:
    """A pop quiz in each channel, its question post claimed by the deliverer "me"."""
    for channel in channels:
        await quiz.handle(deps, replace(HERE, channel=channel), Who("U0", "host"), "now")
    async with deps.uow() as uow:
        claimed = await uow.deliveries.claim(NOW, "me", NOW + timedelta(seconds=30), 10)
        await uow.commit()
    return claimed


async def test_draining_stores_the_posts_waiting_for_their_transaction_at_once() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    [claimed] = await claimed_pop_quizzes(deps, ["C1"])
    finisher = Finisher(deps, "me", every=3600)  # on its own it would wait an hour for others
    finishing = asyncio.create_task(finisher.finish(claimed, "m1"))
    try:
        await asyncio.sleep(0)  # the post is now waiting for its transaction
        await finisher.drain()
        stored = store.deliveries[claimed.id]
        assert (stored.status, stored.message_ref) == (DeliveryStatus.DONE, "m1")
        assert finishing.done() and finishing.result() is True
    finally:
        finishing.cancel()


async def test_a_full_transaction_of_posts_is_stored_without_waiting_for_more() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    claimed = await claimed_pop_quizzes(deps, ["C1", "C2"])
    finisher = Finisher(deps, "me", every=3600, most=2)  # two posts fill a transaction
    done = await asyncio.wait_for(
        asyncio.gather(*(finisher.finish(d, f"m{d.id}") for d in claimed)), timeout=10)
    assert done == [True, True]
    assert {store.deliveries[d.id].status for d in claimed} == {DeliveryStatus.DONE}
