"""The services on the in-memory fakes: one store, a clock frozen at START, and the
services' dependencies over them."""

from __future__ import annotations

import pytest

from bot.adapters.clock import FrozenClock
from bot.services.deps import Deps
from tests.unit.fake_deps import START, deps_on
from tests.unit.fakes import Store


@pytest.fixture
def store() -> Store:
    """An empty in-memory store."""
    return Store()


@pytest.fixture
def clock() -> FrozenClock:
    """The clock, frozen at START."""
    return FrozenClock(START)


@pytest.fixture
async def deps(store: Store, clock: FrozenClock) -> Deps:
    """The services' dependencies over the store and the clock, with the sample bank."""
    return await deps_on(store, clock)
