"""Storing posts as done, many to a transaction and one transaction at a time; a deliverer
that stops drains what is waiting instead of losing it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType

from bot.domain.model import Where, Who
from bot.domain.outbox import Delivery, DeliveryStatus
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.finishing import Finisher
from tests.unit.fake_deps import deps_on
from tests.unit.fakes import FakeUnitOfWork, FakeUnitOfWorkFactory, Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
NOW = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


class HeldTransactions(FakeUnitOfWorkFactory):
    """Units of work that start only once `go` is set, logging when each begins and ends."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.go = asyncio.Event()
        self.log: list[str] = []

    def __call__(self) -> FakeUnitOfWork:
        """A unit of work that waits for `go`."""
        return _Held(self)


class _Held(FakeUnitOfWork):
    def __init__(self, factory: HeldTransactions) -> None:
        super().__init__(factory.store)
        self.factory = factory

    async def __aenter__(self) -> FakeUnitOfWork:
        self.factory.log.append("begin")
        await self.factory.go.wait()
        return await super().__aenter__()

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        self.factory.log.append("end")
        await super().__aexit__(exc_type, exc, tb)


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
        await asyncio.wait_for(finisher.drain(), timeout=10)
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


async def test_posts_that_finish_while_a_transaction_runs_are_stored_by_the_next_one() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    first, second = await claimed_pop_quizzes(deps, ["C1", "C2"])
    deps.uow = held = HeldTransactions(store)
    finisher = Finisher(deps, "me", every=3600, most=1)  # each post fills a transaction
    finishing = [asyncio.create_task(finisher.finish(d, "m")) for d in (first, second)]
    asyncio.get_running_loop().call_later(0.05, held.go.set)  # once both posts are waiting
    done = await asyncio.wait_for(asyncio.gather(*finishing), timeout=10)
    assert done == [True, True]
    assert held.log == ["begin", "end", "begin", "end"]


async def test_a_post_left_waiting_by_a_full_transaction_is_stored_soon_after_it() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    claimed = await claimed_pop_quizzes(deps, ["C1", "C2", "C3"])
    deps.uow = held = HeldTransactions(store)
    every = 0.001
    finisher = Finisher(deps, "me", every=every, most=2)  # the third post waits for a timer
    finishing = [asyncio.create_task(finisher.finish(d, "m")) for d in claimed]
    # The first transaction runs until after the third post's timer has come and gone.
    asyncio.get_running_loop().call_later(every * 50, held.go.set)
    done = await asyncio.wait_for(asyncio.gather(*finishing), timeout=10)
    assert done == [True, True, True]
    assert held.log == ["begin", "end", "begin", "end"]


async def test_a_post_another_deliverer_took_over_is_not_stored_nor_its_message_kept() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    [claimed] = await claimed_pop_quizzes(deps, ["C1"])
    assert claimed.round_id is not None
    store.claims[claimed.id] = "other"  # its claim ran out and another deliverer took it
    finisher = Finisher(deps, "me", every=0)
    assert not await asyncio.wait_for(finisher.finish(claimed, "m-late"), timeout=10)
    assert store.deliveries[claimed.id].status is DeliveryStatus.PENDING
    assert store.rounds[claimed.round_id].message_ref is None


class BrokenStore(FakeUnitOfWorkFactory):
    """Units of work whose commit fails, as on a database that went away."""

    def __call__(self) -> FakeUnitOfWork:
        """A unit of work that cannot commit."""
        return _CannotCommit(self.store)


class _CannotCommit(FakeUnitOfWork):
    async def commit(self) -> None:
        raise ConnectionError("the database went away")


async def test_each_post_waiting_on_a_transaction_that_fails_hears_of_the_failure() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    claimed = await claimed_pop_quizzes(deps, ["C1", "C2"])
    deps.uow = BrokenStore(store)
    finisher = Finisher(deps, "me", every=0)
    outcomes = await asyncio.wait_for(asyncio.gather(
        *(finisher.finish(d, "m") for d in claimed), return_exceptions=True), timeout=10)
    assert [str(outcome) for outcome in outcomes] == ["the database went away"] * 2
    assert {store.deliveries[d.id].status for d in claimed} == {DeliveryStatus.PENDING}
