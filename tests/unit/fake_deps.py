"""The services' dependencies on the in-memory fakes, as the unit tests of services use them."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bot.adapters.clock import FrozenClock
from bot.domain.ports import Leaderboard
from bot.domain.reports import HOLD_AT, Report
from bot.services.bank import sync_bank
from bot.services.deps import Deps
from tests.recording import RecordingPoster
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS
from tests.unit.fakes import FakeAnswerBook, FakeLeaderboard, FakeUnitOfWorkFactory, Store

START = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)  # a Friday morning, where service tests begin


async def deps_on(store: Store, clock: FrozenClock | datetime,
                  leaderboard: Leaderboard | None = None) -> Deps:
    """Deps over `store` at `clock` (a frozen clock, or the instant to freeze one at), with
    a recording poster, a seeded random and the sample bank synced."""
    deps = Deps(uow=FakeUnitOfWorkFactory(store), answers=FakeAnswerBook(store),
                clock=clock if isinstance(clock, FrozenClock) else FrozenClock(clock),
                leaderboard=leaderboard or FakeLeaderboard(), poster=RecordingPoster(),
                rng=random.Random(3))
    await sync_bank(deps.uow, SAMPLE_TOPICS, [(q, q.id) for q in SAMPLE_QUESTIONS])
    return deps


async def hold_back(deps: Deps, platform: str, workspace: str, question_ids: list[str],
                    at: datetime) -> None:
    """Report each question by enough members of the workspace to hold it back there."""
    async with deps.uow() as uow:
        found = await uow.workspaces.find(platform, workspace)
        assert found is not None
        for question_id in question_ids:
            for member_id in range(101, 101 + HOLD_AT):
                await uow.reports.add(Report(found.id, question_id, member_id, "wrong", at))
        await uow.commit()
