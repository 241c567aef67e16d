"""One contract for the repositories and the unit of work, held by the fakes and by SQL alike.

Every test runs three times: on the hand-written fakes, on SQLite and on PostgreSQL. A fake
that promises what the database does not (or forgets what it does) fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.adapters.database import make_engine, make_sessions, migrate
from bot.adapters.orm import Base
from bot.adapters.question_files import content_hash
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.domain.errors import AlreadyAnswered
from bot.domain.model import Answer, Round, RoundKind
from bot.domain.outbox import Delivery, DeliveryKind
from bot.domain.ports import Duplicate, UnitOfWorkFactory
from bot.domain.schedule import ChannelSettings, Due
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS
from tests.sqlite_schema import sqlite_database
from tests.unit.fakes import FakeUnitOfWorkFactory, Store

NOW = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
TODAY = date(2027, 3, 26)


@pytest.fixture(params=["fake", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the contract runs: "fake", or a database URL."""
    if request.param == "sqlite":
        return sqlite_database(tmp_path, request.getfixturevalue("schema_templates"))
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return "fake"


@pytest.fixture
async def uows(backend: str) -> AsyncIterator[UnitOfWorkFactory]:
    """Units of work on the fakes, on SQLite or on PostgreSQL, with the sample bank stored."""
    if backend == "fake":
        factory: UnitOfWorkFactory = FakeUnitOfWorkFactory(Store())
        await _store_bank(factory)
        yield factory
        return
    engine = make_engine(backend)
    await migrate(engine)
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(text(f"DELETE FROM {table.name}"))
    factory = SqlUnitOfWorkFactory(make_sessions(engine))
    await _store_bank(factory)
    yield factory
    await engine.dispose()


async def _store_bank(uows: UnitOfWorkFactory) -> None:
    async with uows() as uow:
        for topic in SAMPLE_TOPICS:
            await uow.questions.save_topic(topic)
        for question in SAMPLE_QUESTIONS:
            await uow.questions.upsert(question, content_hash(question))
        await uow.commit()


@dataclass(frozen=True)
class Place:
    """A workspace, one of its channels and one member, stored and committed."""

    workspace_id: int
    channel_id: int
    member_id: int


async def a_place(uows: UnitOfWorkFactory, workspace: str = "T1") -> Place:
    async with uows() as uow:
        ws = await uow.workspaces.ensure("slack", workspace, "Acme")
        channel = await uow.channels.ensure(ws.id, "C1", "general")
        member = await uow.members.ensure(ws.id, "U1", "Ann Lee")
        await uow.commit()
    return Place(ws.id, channel.id, member.id)


def a_round(place: Place, kind: RoundKind = RoundKind.POP,
            local_date: date | None = None) -> Round:
    return Round(0, place.workspace_id, place.channel_id, SAMPLE_QUESTIONS[0].id, kind, NOW,
                 NOW + timedelta(minutes=10), seed=1, local_date=local_date)


def an_answer(round_id: int, member_id: int, points: int = 5) -> Answer:
    return Answer(round_id, member_id, frozenset({0}), points > 0, points, NOW)


async def test_what_is_committed_is_seen_by_the_next_unit_of_work(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        assert await uow.members.get(place.member_id) is not None
        assert await uow.workspaces.find("slack", "T1") is not None


async def test_writes_without_a_commit_are_lost(uows: UnitOfWorkFactory) -> None:
    async with uows() as uow:
        await uow.workspaces.ensure("slack", "T1", "Acme")
    async with uows() as uow:
        assert await uow.workspaces.find("slack", "T1") is None


async def test_an_error_inside_a_unit_of_work_rolls_its_writes_back(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    with pytest.raises(RuntimeError):
        async with uows() as uow:
            round_ = await uow.rounds.add(a_round(place))
            await uow.answers.add(an_answer(round_.id, place.member_id))
            raise RuntimeError("the request failed half way")
    async with uows() as uow:
        assert await uow.rounds.open_in_channel(place.channel_id, NOW) == []


async def test_writes_before_a_commit_stay_and_writes_after_it_without_another_are_lost(
        uows: UnitOfWorkFactory) -> None:
    async with uows() as uow:
        await uow.workspaces.ensure("slack", "T1", "Acme")
        await uow.commit()
        await uow.workspaces.ensure("slack", "T2", "Globex")
    async with uows() as uow:
        assert await uow.workspaces.find("slack", "T1") is not None
        assert await uow.workspaces.find("slack", "T2") is None


async def test_a_unit_of_work_reads_its_own_uncommitted_writes(uows: UnitOfWorkFactory) -> None:
    async with uows() as uow:
        ws = await uow.workspaces.ensure("slack", "T1", "Acme")
        assert await uow.workspaces.find("slack", "T1") == ws


async def test_a_member_is_found_by_display_name_in_any_case(uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        for spelling in ("Ann Lee", "ann lee", "ANN LEE"):
            found = await uow.members.find(place.workspace_id, spelling)
            assert found is not None and found.id == place.member_id


async def test_a_member_id_matches_only_exactly(uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        found = await uow.members.find(place.workspace_id, "U1")
        assert found is not None and found.id == place.member_id
        assert await uow.members.find(place.workspace_id, "u1") is None


async def test_members_are_found_only_in_their_own_workspace(uows: UnitOfWorkFactory) -> None:
    await a_place(uows, "T1")
    other = await a_place(uows, "T2")
    async with uows() as uow:
        found = await uow.members.find(other.workspace_id, "ann lee")
        assert found is not None and found.id == other.member_id
        assert found.workspace_id == other.workspace_id


async def test_ensuring_a_member_twice_keeps_one_member(uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        again = await uow.members.ensure(place.workspace_id, "U1", "Ann Lee")
        await uow.commit()
    assert again.id == place.member_id


async def test_one_answer_per_round_and_member(uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        round_ = await uow.rounds.add(a_round(place))
        await uow.answers.add(an_answer(round_.id, place.member_id, points=5))
        await uow.commit()
    async with uows() as uow:
        with pytest.raises(AlreadyAnswered):
            await uow.answers.add(an_answer(round_.id, place.member_id, points=0))
    async with uows() as uow:
        [(answer, _)] = await uow.answers.for_round(round_.id)
    assert answer.points == 5  # the first answer counts


async def test_answers_are_taken_into_memory_oldest_first_and_only_once(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        later = await uow.rounds.add(a_round(place))
        earlier = await uow.rounds.add(a_round(place))
        await uow.answers.add(replace(an_answer(later.id, place.member_id),
                                      answered_at=NOW + timedelta(minutes=2)))
        await uow.answers.add(replace(an_answer(earlier.id, place.member_id, points=0),
                                      answered_at=NOW + timedelta(minutes=1)))
        await uow.commit()
    async with uows() as uow:
        recalls = await uow.memories.to_take_in(place.member_id)
        assert [(r.at, r.correct) for r in recalls] == [(NOW + timedelta(minutes=1), False),
                                                        (NOW + timedelta(minutes=2), True)]
        assert {r.question_id for r in recalls} == {SAMPLE_QUESTIONS[0].id}
        assert {r.workspace_id for r in recalls} == {place.workspace_id}
        await uow.memories.taken_in([recalls[0].answer_id])
        await uow.commit()
    async with uows() as uow:
        assert [r.at for r in await uow.memories.to_take_in(place.member_id)] == [
            NOW + timedelta(minutes=2)]
        await uow.memories.taken_in([r.answer_id for r in recalls])
        # not committed: the answer is still to be taken in
    async with uows() as uow:
        assert len(await uow.memories.to_take_in(place.member_id)) == 1


async def test_one_daily_round_per_channel_and_local_date(uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        first = await uow.rounds.add(a_round(place, RoundKind.DAILY, TODAY))
        with pytest.raises(Duplicate):
            await uow.rounds.add(a_round(place, RoundKind.DAILY, TODAY))
        tomorrow = await uow.rounds.add(a_round(place, RoundKind.DAILY, TODAY + timedelta(1)))
        await uow.commit()  # the refused insert does not spoil the transaction
    async with uows() as uow:
        assert await uow.rounds.daily_on(place.channel_id, TODAY) == first
        assert await uow.rounds.daily_on(place.channel_id, TODAY + timedelta(1)) == tomorrow


async def test_one_delivery_per_post(uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        round_ = await uow.rounds.add(a_round(place))
        question = Delivery(0, place.workspace_id, place.channel_id, DeliveryKind.QUESTION,
                            NOW, round_id=round_.id)
        board = Delivery(0, place.workspace_id, place.channel_id, DeliveryKind.BOARD, NOW,
                         week=(2027, 12))
        await uow.deliveries.add(question)
        await uow.deliveries.add(board)
        for again in (question, board):
            with pytest.raises(Duplicate):
                await uow.deliveries.add(again)
        await uow.deliveries.add(Delivery(0, place.workspace_id, place.channel_id,
                                          DeliveryKind.REVEAL, NOW, round_id=round_.id))
        await uow.deliveries.add(Delivery(0, place.workspace_id, place.channel_id,
                                          DeliveryKind.BOARD, NOW, week=(2027, 13)))
        await uow.commit()
    async with uows() as uow:
        assert await uow.deliveries.of_round(round_.id, DeliveryKind.QUESTION) is not None
        assert await uow.deliveries.of_round(round_.id, DeliveryKind.REVEAL) is not None


async def test_posts_are_finished_together_by_whoever_still_holds_them(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        rounds = [await uow.rounds.add(a_round(place)) for _ in range(3)]
        for round_ in rounds:
            await uow.deliveries.add(Delivery(0, place.workspace_id, place.channel_id,
                                              DeliveryKind.QUESTION, NOW, round_id=round_.id))
        await uow.commit()
    async with uows() as uow:
        mine = await uow.deliveries.claim(NOW, "me", NOW + timedelta(seconds=30), 2)
        theirs = await uow.deliveries.claim(NOW, "them", NOW + timedelta(seconds=30), 2)
        await uow.commit()
    refs = {d.id: f"ts-{d.round_id}" for d in mine + theirs}

    async with uows() as uow:
        kept = await uow.deliveries.finish(refs, "me", NOW)
        await uow.rounds.set_message_refs({d.round_id: refs[d.id] for d in mine
                                           if d.round_id is not None})
        await uow.commit()

    assert kept == {d.id for d in mine}
    async with uows() as uow:
        for delivery in mine:
            assert delivery.round_id is not None
            done = await uow.deliveries.get(delivery.id)
            assert done is not None and done.message_ref == refs[delivery.id]
            shown = await uow.rounds.get(delivery.round_id)
            assert shown is not None and shown.message_ref == refs[delivery.id]
        [other] = theirs
        assert await uow.deliveries.finish({other.id: None}, "me", NOW) == set()


async def test_a_post_put_back_for_a_retry_is_not_claimed_before_its_time(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        round_ = await uow.rounds.add(a_round(place))
        await uow.deliveries.add(Delivery(0, place.workspace_id, place.channel_id,
                                          DeliveryKind.QUESTION, NOW, round_id=round_.id))
        await uow.commit()
    retry_at, held = NOW + timedelta(minutes=1), NOW + timedelta(seconds=30)
    async with uows() as uow:
        [claimed] = await uow.deliveries.claim(NOW, "me", held, 5)
        assert await uow.deliveries.retry(claimed.id, "me", retry_at, "Slack said 500")
        await uow.commit()

    async with uows() as uow:
        early = await uow.deliveries.claim(retry_at - timedelta(seconds=1), "me", held, 5)
        upcoming = await uow.deliveries.next_after(NOW)
        on_time = await uow.deliveries.claim(retry_at, "me", held, 5)

    assert early == []
    assert upcoming == retry_at
    assert [d.id for d in on_time] == [claimed.id]


async def test_claims_by_two_deliverers_share_a_workspaces_rate_through_its_next_free_slot(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        for _ in range(5):
            round_ = await uow.rounds.add(a_round(place))
            await uow.deliveries.add(Delivery(0, place.workspace_id, place.channel_id,
                                              DeliveryKind.QUESTION, NOW, round_id=round_.id))
        await uow.commit()
    gap, held, later = timedelta(seconds=0.2), NOW + timedelta(hours=1), NOW + timedelta(1)
    slack = {"slack": gap}

    async with uows() as uow:
        mine = await uow.deliveries.reserve(await uow.deliveries.claim(NOW, "me", held, 2),
                                            NOW, slack)
        theirs = await uow.deliveries.reserve(
            await uow.deliveries.claim(NOW, "them", held, 1), NOW, slack)
        unpaced = await uow.deliveries.reserve(
            await uow.deliveries.claim(NOW, "them", held, 1), NOW, {"discord": gap})
        await uow.commit()
    async with uows() as uow:
        after_a_while = await uow.deliveries.reserve(
            await uow.deliveries.claim(later, "me", held, 1), later, slack)

    assert [d.send_at for d in mine + theirs] == [NOW, NOW + gap, NOW + 2 * gap]
    assert [d.send_at for d in unpaced] == [None]
    assert [d.send_at for d in after_a_while] == [later]  # an idle workspace owes nothing


async def test_a_channel_is_claimed_once_its_due_instant_has_come(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    async with uows() as uow:
        later = await uow.channels.ensure(place.workspace_id, "C2", "later")
        for channel_id in (place.channel_id, later.id):
            await uow.channels.save_settings(channel_id, ChannelSettings(daily_time=time(9)))
        await uow.channels.set_due(place.channel_id, Due(daily=NOW))
        await uow.channels.set_due(later.id, Due(daily=NOW + timedelta(seconds=1)))
        await uow.commit()
    async with uows() as uow:
        assert await uow.channels.claim_due(NOW - timedelta(seconds=1), 10) == []
        assert [c.id for c in await uow.channels.claim_due(NOW, 10)] == [place.channel_id]
        claimed = await uow.channels.claim_due(NOW + timedelta(seconds=1), 10)
        assert [c.id for c in claimed] == [place.channel_id, later.id]  # earliest first
        assert [c.id for c in await uow.channels.claim_due(NOW + timedelta(hours=1), 1)] == [
            place.channel_id]


async def test_due_channels_are_claimed_each_workspaces_first_before_anyones_second(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    other = await a_place(uows, "T2")
    async with uows() as uow:
        second = await uow.channels.ensure(place.workspace_id, "C2", "second")
        for channel_id in (place.channel_id, second.id, other.channel_id):
            await uow.channels.save_settings(channel_id, ChannelSettings(daily_time=time(9)))
        await uow.channels.set_due(place.channel_id, Due(daily=NOW - timedelta(seconds=2)))
        await uow.channels.set_due(second.id, Due(daily=NOW - timedelta(seconds=1)))
        await uow.channels.set_due(other.channel_id, Due(daily=NOW))
        await uow.commit()
    async with uows() as uow:
        claimed = await uow.channels.claim_due(NOW, 2)
        assert [c.id for c in claimed] == [place.channel_id, other.channel_id]


async def test_a_disabled_channel_or_a_gone_workspace_is_never_claimed(
        uows: UnitOfWorkFactory) -> None:
    place = await a_place(uows)
    other = await a_place(uows, "T2")
    async with uows() as uow:
        for p in (place, other):
            await uow.channels.save_settings(p.channel_id, ChannelSettings(daily_time=time(9)))
            await uow.channels.set_due(p.channel_id, Due(daily=NOW))
        await uow.channels.disable(place.channel_id, "channel_not_found")
        await uow.workspaces.set_active(other.workspace_id, False)
        await uow.commit()
    async with uows() as uow:
        assert await uow.channels.claim_due(NOW, 10) == []
