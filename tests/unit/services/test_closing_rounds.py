"""Closing a round on the fakes: a reveal only for a question the channel saw, exactly once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.domain.model import Where, Who
from bot.domain.outbox import Delivery, DeliveryKind, DeliveryStatus
from bot.domain.views import PopPosted, QuestionView
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.revealing import close_round
from tests.unit.fake_deps import START
from tests.unit.fakes import FakeRounds, Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
HOST = Who("U0", "host")
LATER = START + timedelta(minutes=11)  # the pop quiz's ten minutes are over


async def _pop(deps: Deps, store: Store, **question_post: Any) -> int:
    """A pop quiz whose question post is in the given state."""
    posted = await quiz.handle(deps, HERE, HOST, "now")
    assert isinstance(posted, PopPosted)
    round_id = posted.question.round_id
    post = _post(store, round_id, DeliveryKind.QUESTION)
    assert post is not None
    store.deliveries[post.id] = replace(post, **question_post)
    return round_id


def _post(store: Store, round_id: int, kind: DeliveryKind) -> Delivery | None:
    return next((d for d in store.deliveries.values() if (d.round_id, d.kind) == (round_id, kind)),
                None)


async def test_a_round_whose_question_was_posted_closes_once_and_queues_one_reveal(
        deps: Deps, store: Store) -> None:
    round_id = await _pop(deps, store, status=DeliveryStatus.DONE, message_ref="m1")
    assert await close_round(deps, round_id, LATER)
    assert not await close_round(deps, round_id, LATER)  # closed already: nothing to do
    reveal = _post(store, round_id, DeliveryKind.REVEAL)
    assert reveal is not None and (reveal.status, reveal.created_at) == (
        DeliveryStatus.PENDING, LATER)
    assert store.rounds[round_id].closed_at == LATER


async def test_a_round_whose_question_is_being_posted_right_now_waits_for_that_post(
        deps: Deps, store: Store) -> None:
    claimed = LATER + timedelta(seconds=30)
    round_id = await _pop(deps, store, claimed_until=claimed, attempts=1)
    assert not await close_round(deps, round_id, LATER)
    assert not await close_round(deps, round_id, claimed - timedelta(microseconds=1))
    assert store.rounds[round_id].closed_at is None
    assert await close_round(deps, round_id, claimed)  # the claim has run out: close it


async def test_a_round_whose_question_never_went_out_closes_without_a_reveal(
        deps: Deps, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    round_id = await _pop(deps, store)  # pending and unclaimed: nobody could post it
    with caplog.at_level("WARNING"):
        assert await close_round(deps, round_id, LATER)
    question = _post(store, round_id, DeliveryKind.QUESTION)
    assert question is not None and question.status is DeliveryStatus.DROPPED
    assert _post(store, round_id, DeliveryKind.REVEAL) is None
    assert store.rounds[round_id].closed_at == LATER
    assert caplog.messages == [f"round {round_id} closed unseen: its question was never posted"]


async def test_a_practice_round_closes_with_no_reveal(deps: Deps, store: Store) -> None:
    practice = await quiz.handle(deps, HERE, Who("U1", "ann"), "me")
    assert isinstance(practice, QuestionView)
    assert await close_round(deps, practice.round_id, LATER)
    assert store.rounds[practice.round_id].closed_at == LATER
    assert [d for d in store.deliveries.values() if d.round_id == practice.round_id] == []


async def test_a_round_that_does_not_exist_has_nothing_to_close(deps: Deps) -> None:
    assert not await close_round(deps, 999, LATER)


async def test_a_round_another_pass_closes_first_is_left_to_that_pass(
        deps: Deps, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    round_id = await _pop(deps, store, status=DeliveryStatus.DONE, message_ref="m1")

    async def lost_the_race(self: FakeRounds, round_id: int, at: datetime) -> bool:
        return False  # another pass closed it between our read and our write

    monkeypatch.setattr(FakeRounds, "close", lost_the_race)
    assert not await close_round(deps, round_id, LATER)
    assert _post(store, round_id, DeliveryKind.REVEAL) is None
