"""The deliverer on the fakes: where a post goes, and what becomes of one whose channel,
workspace, round or question is gone."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.channel import Target
from bot.domain.commands import Period
from bot.domain.model import Round, Where, Who
from bot.domain.outbox import Delivery, DeliveryKind, DeliveryStatus
from bot.domain.ports import PostKey, RateLimited, WorkspaceGone
from bot.domain.standings import Standing
from bot.domain.views import BoardView, PopPosted, QuestionView, RevealView
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.outbox import TURNS, claim_batch, deliver_all, post_batch
from bot.services.revealing import close_due_rounds
from bot.services.workspaces import workspace_left
from tests.recording import RecordingPoster
from tests.unit.fake_deps import deps_on
from tests.unit.fakes import FakeDeliveries, FakeLeaderboard, FakeRounds, Store

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


async def test_a_question_post_is_dropped_once_its_answer_window_has_ended() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    await quiz.handle(deps, HERE, ANN, "now")
    assert isinstance(deps.clock, FrozenClock)
    deps.clock.advance(timedelta(minutes=10))  # the pop window ends now; no pass closed it yet
    await deliver_all(deps, "me")
    assert [d.status for d in store.deliveries.values()] == [DeliveryStatus.DROPPED]
    assert isinstance(deps.poster, RecordingPoster) and deps.poster.questions == []


class Watching(RecordingPoster):
    """Records the key of every reveal and board, and refuses those of kind `refused` with
    WorkspaceGone."""

    def __init__(self, refused: str | None = None) -> None:
        super().__init__()
        self.refused = refused
        self.keys: list[PostKey | None] = []

    def _heard(self, kind: str, key: PostKey | None) -> None:
        self.keys.append(key)
        if kind == self.refused:
            raise WorkspaceGone("token_revoked")

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Record the key; refuse or record the reveal."""
        self._heard("reveal", key)
        await super().post_reveal(target, message_ref, view, key)

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Record the key; refuse or record the board."""
        self._heard("board", key)
        return await super().post_board(target, view, key)


async def reveal_and_board_due(store: Store, poster: Watching) -> Deps:
    """A workspace with a pop quiz's reveal and the week's board waiting in the outbox."""
    deps = await deps_on(store, NOW, OneScorer())
    deps.poster = poster
    posted = await quiz.handle(deps, HERE, ANN, "now")
    assert isinstance(posted, PopPosted) and isinstance(deps.clock, FrozenClock)
    await deliver_all(deps, "me")
    deps.clock.advance(timedelta(minutes=11))
    await close_due_rounds(deps)
    async with deps.uow() as uow:
        await uow.deliveries.add(Delivery(0, 1, 1, DeliveryKind.BOARD, deps.clock.now(),
                                          week=(2027, 12)))
        await uow.commit()
    return deps


async def test_reveals_and_boards_go_to_their_channel_under_their_post_s_name() -> None:
    store = Store()
    poster = Watching()
    deps = await reveal_and_board_due(store, poster)
    await deliver_all(deps, "me")
    [round_id] = store.rounds
    assert [k.name if k else None for k in poster.keys] == [f"reveal:{round_id}",
                                                            "board:1:2027-12"]
    assert [target for target, _, _ in poster.reveals] == [Target("slack", "T1", "C1")]
    assert [target for target, _ in poster.boards] == [Target("slack", "T1", "C1")]


@pytest.mark.parametrize("refused", ["reveal", "board"])
async def test_a_reveal_or_board_to_a_workspace_without_the_app_retires_it(refused: str) -> None:
    store = Store()
    deps = await reveal_and_board_due(store, Watching(refused))
    await deliver_all(deps, "me")
    assert not store.workspaces[1].active
    status = {d.kind.value: d.status for d in store.deliveries.values()}
    assert status[refused] is DeliveryStatus.DROPPED


async def test_a_question_whose_topic_has_no_title_shows_the_topic_s_name() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    posted = await quiz.handle(deps, HERE, ANN, "now")
    assert isinstance(posted, PopPosted)
    del store.topics[posted.question.topic]
    await deliver_all(deps, "me")
    assert isinstance(deps.poster, RecordingPoster)
    [(_, view)] = deps.poster.questions
    assert view.topic_title == posted.question.topic


async def test_a_slow_post_keeps_its_claim_within_the_claim_s_time_and_a_settled_one_does_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    for channel in ("C1", "C2"):
        await quiz.handle(deps, replace(HERE, channel=channel), ANN, "now")
    claim_for = timedelta(seconds=3)
    batch = await claim_batch(deps, "me", claim_for=claim_for)
    assert batch is not None
    extended = asyncio.Event()
    extensions: list[tuple[list[int], str, datetime, float]] = []
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def extend(self: FakeDeliveries, ids: list[int], owner: str, until: datetime) -> None:
        extensions.append((ids, owner, until, loop.time() - started))
        extended.set()

    monkeypatch.setattr(FakeDeliveries, "extend", extend)

    class Slow(RecordingPoster):
        async def post_question(self, target: Target, view: QuestionView,
                                key: PostKey | None = None) -> str | None:
            if target.channel == "C2":  # the first post goes out at once, this one waits
                await extended.wait()
            return await super().post_question(target, view, key)

    deps.poster = Slow()
    assert isinstance(deps.clock, FrozenClock)
    deps.clock.advance(timedelta(seconds=1))
    sent = await asyncio.wait_for(post_batch(deps, "me", batch, claim_for=claim_for), 10)
    assert len(sent.delivered) == 2
    [(ids, owner, until, after)] = extensions
    slow = [d.id for d in batch.deliveries if d.channel_id == 2]
    assert (ids, owner, until) == (slow, "me", deps.clock.now() + claim_for)
    assert after < claim_for.total_seconds()


async def test_a_claim_s_posts_are_timed_from_when_its_batch_has_been_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    deps = await deps_on(Store(), NOW)
    for channel in ("C1", "C2"):
        await quiz.handle(deps, replace(HERE, channel=channel), ANN, "now")
    assert isinstance(deps.clock, FrozenClock)
    clock, read = deps.clock, FakeRounds.many

    async def slow_read(self: FakeRounds, round_ids: Collection[int]) -> dict[int, Round]:
        clock.advance(timedelta(seconds=1))  # a busy database, or a busy worker
        return await read(self, round_ids)

    monkeypatch.setattr(FakeRounds, "many", slow_read)
    gap = timedelta(seconds=0.2)
    claimed = await claim_batch(deps, "me", spacing={"slack": gap})

    assert claimed is not None
    assert [d.send_at for d in claimed.deliveries] == [NOW + timedelta(seconds=1),
                                                       NOW + timedelta(seconds=1) + gap]


@dataclass
class RefusedFor(RecordingPoster):
    """Refuses questions for the platform's rate: in each channel named, that many times."""

    refuse: dict[str, int] = field(default_factory=dict)
    retry_after: float = 0.05
    refused: Counter[str] = field(default_factory=Counter)

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Refuse, else record."""
        if self.refused[target.channel] < self.refuse.get(target.channel, 0):
            self.refused[target.channel] += 1
            raise RateLimited(self.retry_after)
        return await super().post_question(target, view, key)


async def test_a_post_refused_for_the_rate_goes_again_in_a_slot_after_those_given_out() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    for channel in ("C1", "C2"):
        await quiz.handle(deps, replace(HERE, channel=channel), ANN, "now")
    poster = RefusedFor(refuse={"C1": 1})
    deps = replace(deps, poster=poster)
    gap = timedelta(seconds=0.2)

    claimed = await claim_batch(deps, "me", spacing={"slack": gap})
    assert claimed is not None
    sent = await post_batch(deps, "me", claimed)

    assert [target.channel for target, _ in poster.questions] == ["C2", "C1"]
    assert poster.refused == {"C1": 1} and len(sent.delivered) == 2
    [workspace_id] = {d.workspace_id for d in claimed.deliveries}
    assert store.next_post_at[workspace_id] == NOW + 3 * gap, "its new slot came after both"
    assert all(d.status is DeliveryStatus.DONE for d in store.deliveries.values())


async def test_a_post_refused_for_the_rate_again_and_again_goes_back_to_the_outbox() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    await quiz.handle(deps, HERE, ANN, "now")
    poster = RefusedFor(refuse={"C1": TURNS}, retry_after=0.01)
    deps = replace(deps, poster=poster)

    claimed = await claim_batch(deps, "me", spacing={"slack": timedelta(seconds=0.01)})
    assert claimed is not None
    sent = await post_batch(deps, "me", claimed)

    assert sent.delivered == [] and poster.refused == {"C1": TURNS}
    [delivery] = store.deliveries.values()
    assert delivery.status is DeliveryStatus.PENDING and delivery.claimed_until is None
    assert store.not_before[delivery.id] > NOW, "tried again later, with backoff"


async def test_a_question_refused_until_its_window_has_ended_is_dropped_not_posted_late() -> None:
    store = Store()
    deps = await deps_on(store, NOW)
    await quiz.handle(deps, HERE, ANN, "now")
    poster = RefusedFor(refuse={"C1": 1}, retry_after=timedelta(days=1).total_seconds())
    deps = replace(deps, poster=poster)

    claimed = await claim_batch(deps, "me", spacing={"slack": timedelta(seconds=0.2)})
    assert claimed is not None
    sent = await post_batch(deps, "me", claimed)

    assert sent.delivered == [] and poster.questions == []
    [delivery] = store.deliveries.values()
    assert delivery.status is DeliveryStatus.DROPPED
