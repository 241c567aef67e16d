"""The deliverer on the fakes: where a post goes, and what becomes of one whose channel,
workspace, round or question is gone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.channel import Target
from bot.domain.commands import Period
from bot.domain.model import Where, Who
from bot.domain.outbox import Delivery, DeliveryKind, DeliveryStatus
from bot.domain.standings import Standing
from bot.domain.views import PopPosted
from bot.services import quiz
from bot.services.outbox import deliver_all
from bot.services.workspaces import workspace_left
from tests.recording import RecordingPoster
from tests.unit.fake_deps import deps_on
from tests.unit.fakes import FakeLeaderboard, Store

NOW = datetime(2027, 3, 26, 16, 0, tzinfo=UTC)
HERE = Where("slack", "T1", "C1", "Acme", "general")
ANN = Who("U1", "ann")


class OneScorer(FakeLeaderboard):
    """A leaderboard on which one member has scored, so that every board has a row."""

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        """Alice, first."""
        return [Standing(1, 1, "alice", 10)]


async def test_a_weekly_board_for_a_channel_that_is_gone_is_dropped_not_posted() -> None:
    store = Store()
    deps = await deps_on(store, NOW, OneScorer())
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure("slack", "T1", "Acme")
        channel = await uow.channels.ensure(workspace.id, "C1", "general")
        board = await uow.deliveries.add(Delivery(0, workspace.id, channel.id,
                                                  DeliveryKind.BOARD, NOW, week=(2027, 12)))
        await uow.commit()
    del store.channels[channel.id]
    await deliver_all(deps, "me")
    assert store.deliveries[board.id].status is DeliveryStatus.DROPPED
    assert isinstance(deps.poster, RecordingPoster) and deps.poster.boards == []


async def test_a_post_goes_to_its_own_workspace_and_channel_as_the_platform_names_them() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    await quiz.handle(deps, Where("slack", "T1", "C7", "Acme", "general"), ANN, "now")
    await deliver_all(deps, "me")
    assert isinstance(deps.poster, RecordingPoster)
    assert [target for target, _ in deps.poster.questions] == [Target("slack", "T1", "C7")]


@pytest.mark.parametrize("gone", ["channel", "round", "question"])
async def test_a_question_post_whose_channel_round_or_question_is_gone_is_dropped_not_posted(
        gone: str) -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    posted = await quiz.handle(deps, HERE, ANN, "now")
    assert isinstance(posted, PopPosted)
    round_ = store.rounds[posted.question.round_id]
    tables: dict[str, tuple[dict[Any, Any], object]] = {
        "channel": (store.channels, round_.channel_id), "round": (store.rounds, round_.id),
        "question": (store.questions, round_.question_id)}
    table, key = tables[gone]
    del table[key]
    await deliver_all(deps, "me")
    assert [d.status for d in store.deliveries.values()] == [DeliveryStatus.DROPPED]
    assert isinstance(deps.poster, RecordingPoster) and deps.poster.questions == []


async def test_a_question_queued_before_the_app_left_the_workspace_is_not_posted() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    await quiz.handle(deps, HERE, ANN, "now")
    await workspace_left(deps, "slack", "T1")
    await deliver_all(deps, "me")
    assert [d.status for d in store.deliveries.values()] == [DeliveryStatus.DROPPED]
    assert isinstance(deps.poster, RecordingPoster) and deps.poster.questions == []
