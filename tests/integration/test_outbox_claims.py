"""Claiming the outbox: a batch spreads over workspaces, and a lane takes one platform's posts."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

from bot.adapters.clock import FrozenClock
from bot.domain.channel import Target
from bot.domain.model import Where, Who
from bot.domain.outbox import Delivery, DeliveryKind
from bot.domain.ports import PostKey
from bot.domain.views import QuestionView
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.outbox import claim_batch, post_batch
from tests.recording import RecordingPoster


async def queue_boards(deps: Deps, platform: str, team: str, count: int) -> int:
    """`count` weekly boards for channels of one workspace; its id."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure(platform, team, team)
        for n in range(count):
            channel = await uow.channels.ensure(workspace.id, f"{team}-C{n}", f"c{n}")
            await uow.deliveries.add(Delivery(0, workspace.id, channel.id, DeliveryKind.BOARD,
                                              now, week=(2027, 12)))
        await uow.commit()
    return workspace.id


async def claim(deps: Deps, limit: int, platform: str | None = None,
                per_workspace: int | None = None) -> list[Delivery]:
    now = deps.clock.now()
    async with deps.uow() as uow:
        claimed = await uow.deliveries.claim(now, "me", now + timedelta(seconds=30), limit,
                                             platform, per_workspace)
        await uow.commit()
    return claimed


async def test_a_claim_takes_each_workspaces_oldest_post_before_anyones_second(
        deps: Deps, clock: FrozenClock) -> None:
    acme = await queue_boards(deps, "slack", "T1", 3)
    rival = await queue_boards(deps, "slack", "T2", 3)
    clock.advance(timedelta(seconds=1))

    claimed = await claim(deps, 4)

    assert sorted(d.workspace_id for d in claimed) == sorted([acme, acme, rival, rival])


async def test_a_claim_for_one_platform_leaves_the_others_posts_alone(
        deps: Deps, clock: FrozenClock) -> None:
    await queue_boards(deps, "slack", "T1", 2)
    guild = await queue_boards(deps, "discord", "G1", 2)
    clock.advance(timedelta(seconds=1))

    claimed = await claim(deps, 10, "discord")

    assert [d.workspace_id for d in claimed] == [guild, guild]
    assert len(await claim(deps, 10)) == 2  # the Slack posts are still there for any lane


async def test_a_claim_takes_no_more_of_a_workspace_than_its_next_few_posts_in_flight_included(
        deps: Deps, clock: FrozenClock) -> None:
    acme = await queue_boards(deps, "slack", "T1", 5)
    clock.advance(timedelta(seconds=1))

    first = await claim(deps, 10, per_workspace=2)
    second = await claim(deps, 10, per_workspace=2)  # the first two are still in flight
    rival = await queue_boards(deps, "slack", "T2", 1)
    third = await claim(deps, 10, per_workspace=3)

    assert [d.workspace_id for d in first] == [acme, acme]
    assert second == []
    assert sorted(d.workspace_id for d in third) == sorted([acme, rival])


class TimedPoster(RecordingPoster):
    """Records when each question started going out."""

    def __init__(self) -> None:
        super().__init__()
        self.started: list[float] = []

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        self.started.append(time.monotonic())
        return await super().post_question(target, view, key)


async def test_two_deliverers_post_to_one_workspace_no_faster_than_its_rate_together(
        deps: Deps) -> None:
    for channel in ("C1", "C2", "C3", "C4"):
        await quiz.handle(deps, Where("slack", "T1", channel, "Acme", channel.lower()),
                          Who("U1", "ann"), "now")
    poster = TimedPoster()
    deps = replace(deps, poster=poster)
    gap = timedelta(seconds=0.1)

    mine = await claim_batch(deps, "me", 2, spacing={"slack": gap})
    theirs = await claim_batch(deps, "them", 2, spacing={"slack": gap})
    assert mine is not None and theirs is not None
    await asyncio.gather(post_batch(deps, "them", theirs), post_batch(deps, "me", mine))

    started = sorted(poster.started)
    assert len(started) == 4
    # asyncio may wake a timer a millisecond early
    assert all(later - earlier >= 0.095 for earlier, later in pairwise(started))
