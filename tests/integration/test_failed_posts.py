"""What a failed post leads to: a retry after a jittered backoff, or giving it up for good."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.channel import Target
from bot.domain.outbox import Delivery, DeliveryKind, DeliveryStatus
from bot.domain.ports import ChannelGone, PostKey, WorkspaceGone
from bot.domain.views import PopPosted, QuestionView
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due
from bot.services.outbox import deliver_all, deliver_due
from bot.services.revealing import close_due_rounds
from bot.services.scheduling import schedule_pass
from bot.services.workspaces import workspace_left
from tests.integration.test_daily_questions import (
    ALICE,
    HERE,
    FlakyPoster,
    schedule,
    score_a_pop_quiz,
)
from tests.recording import RecordingPoster


class FixedRandom(random.Random):
    """A random source whose `random()` always returns `value`, to pin the backoff's jitter."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        """The pinned value."""
        return self.value


async def pop_quiz_post(deps: Deps) -> Delivery:
    """Start a pop quiz here; its question's outbox row."""
    posted = await quiz.handle(deps, HERE, ALICE, "now")
    assert isinstance(posted, PopPosted)
    async with deps.uow() as uow:
        delivery = await uow.deliveries.of_round(posted.question.round_id, DeliveryKind.QUESTION)
        await uow.commit()
    assert delivery is not None
    return delivery


async def status_of(deps: Deps, delivery: Delivery) -> DeliveryStatus:
    """Where the delivery stands now."""
    async with deps.uow() as uow:
        now = await uow.deliveries.get(delivery.id)
    assert now is not None
    return now.status


@pytest.mark.parametrize(("drawn", "wait"), [(0.0, timedelta(seconds=2.5)),
                                             (0.998, timedelta(seconds=4.995))])
async def test_a_failed_post_waits_between_half_and_all_of_its_backoff_before_its_next_try(
        deps: Deps, clock: FrozenClock, drawn: float, wait: timedelta) -> None:
    poster = deps.poster = FlakyPoster(failures=1)
    await quiz.handle(deps, HERE, ALICE, "now")
    deps.rng = FixedRandom(drawn)  # the first retry waits 5 s, times 0.5 + drawn / 2
    assert (await run_due(deps)).questions == []
    clock.advance(wait - timedelta(milliseconds=100))
    assert (await run_due(deps)).questions == []
    clock.advance(timedelta(milliseconds=100))
    assert len((await run_due(deps)).questions) == 1
    assert len(poster.questions) == 1


async def test_a_post_whose_next_try_would_come_when_it_is_given_up_is_dropped_at_once(
        deps: Deps, clock: FrozenClock) -> None:
    deps.poster = FlakyPoster(failures=1)
    post = await pop_quiz_post(deps)
    clock.advance(timedelta(minutes=10) - timedelta(seconds=2.5))  # the pop window closes next
    deps.rng = FixedRandom(0.0)  # the retry would wait 2.5 s: just when the window closes
    await run_due(deps)
    assert await status_of(deps, post) is DeliveryStatus.DROPPED


@pytest.mark.parametrize("refusal", [ChannelGone("channel_not_found"),
                                     WorkspaceGone("token_revoked")])
async def test_a_post_the_platform_refuses_for_good_is_dropped_not_tried_again(
        deps: Deps, clock: FrozenClock, refusal: Exception) -> None:
    tries: list[PostKey | None] = []

    class Refusing(RecordingPoster):
        async def post_question(self, target: Target, view: QuestionView,
                                key: PostKey | None = None) -> str | None:
            tries.append(key)
            raise refusal

    deps.poster = Refusing()
    post = await pop_quiz_post(deps)
    await run_due(deps)
    assert await status_of(deps, post) is DeliveryStatus.DROPPED  # at once
    clock.advance(timedelta(minutes=1))  # past any claim a failed settling would have left
    await run_due(deps)
    assert len(tries) == 1


async def test_a_weekly_board_that_goes_out_late_shows_the_week_it_was_due_for(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps, "weekly fri 16:00")
    await score_a_pop_quiz(deps, poster)  # in week 12; nobody scores in week 13
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    await schedule_pass(deps)
    clock.set(datetime(2027, 3, 29, 10, 0, tzinfo=UTC))  # the deliverer was down until Monday
    await deliver_all(deps, "me")
    assert [view.week for _, view in poster.boards] == [(2027, 12)]


async def test_a_channels_weekly_board_ranks_the_members_of_its_whole_workspace(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    elsewhere = replace(HERE, channel="C0", channel_name="random")
    await quiz.handle(deps, elsewhere, ALICE, "topics")  # this workspace's first channel
    await schedule(deps, "weekly fri 16:00")
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    await run_due(deps)
    [(_, view)] = poster.boards
    assert not view.squads and [row.name for row in view.rows] == ["alice"]


async def test_a_weekly_board_queued_before_the_app_left_the_workspace_is_not_posted(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps, "weekly fri 16:00")
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    await schedule_pass(deps)
    await workspace_left(deps, "discord", "G1")
    await deliver_all(deps, "me")
    assert poster.boards == []
    clock.advance(timedelta(minutes=1))  # past the claim: a board left pending is offered again
    assert (await deliver_due(deps, "me")).claimed == 0


async def test_a_round_whose_question_never_went_out_closes_with_its_post_dropped(
        deps: Deps, clock: FrozenClock) -> None:
    post = await pop_quiz_post(deps)  # and no deliverer runs
    clock.advance(timedelta(minutes=11))
    assert await close_due_rounds(deps) == 1
    assert await status_of(deps, post) is DeliveryStatus.DROPPED
    async with deps.uow() as uow:
        round_ = await uow.rounds.get(post.round_id or 0)
        reveal = await uow.deliveries.of_round(post.round_id or 0, DeliveryKind.REVEAL)
        await uow.commit()
    assert round_ is not None and round_.closed_at == clock.now() and reveal is None
