"""The answer path's own storage: a read and a write, each committing by itself."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters import database
from bot.adapters.answer_book import SqlAnswerBook
from bot.domain.errors import AlreadyAnswered, OtherWorkspace, RoundClosed
from bot.domain.model import Answer, Where, Who
from bot.domain.ports import AnswerBook, Answering
from bot.domain.views import PopPosted, Receipt, Verdict
from bot.services import quiz
from bot.services.deps import Deps
from tests.sample import right_letters

HERE = Where("slack", "T1", "C1", "Acme", "general")
ALICE = Who("U1", "alice")
BOB = Who("U2", "bob")
ELSEWHERE = Where("slack", "T2", "C9", "Globex", "general")


class ClosingAfterTheRead:
    """An answer book whose round is closed by a reveal between a click's read and write."""

    def __init__(self, book: AnswerBook, deps: Deps) -> None:
        self.book, self.deps = book, deps

    async def answering(self, round_id: int, platform: str, workspace: str, member: str, *,
                        fresh: bool = False) -> Answering | None:
        found = await self.book.answering(round_id, platform, workspace, member, fresh=fresh)
        if found is not None and found.previous is None:
            async with self.deps.uow() as uow:
                await uow.rounds.close(round_id, self.deps.clock.now())
                await uow.commit()
        return found

    def __getattr__(self, name: str) -> object:
        return getattr(self.book, name)


async def pop(deps: Deps) -> PopPosted:
    view = await quiz.handle(deps, HERE, ALICE, "now")
    assert isinstance(view, PopPosted)
    return view


async def test_a_round_closed_between_the_read_and_the_write_refuses_the_answer(
        deps: Deps) -> None:
    posted = (await pop(deps)).question
    closing = replace(deps, answers=ClosingAfterTheRead(deps.answers, deps))  # type: ignore[arg-type]
    with pytest.raises(RoundClosed):
        await quiz.answer(closing, HERE, BOB, posted.round_id, right_letters(posted))
    async with deps.uow() as uow:
        assert await uow.answers.for_round(posted.round_id) == []
        assert await uow.members.find((await uow.workspaces.find("slack", "T1")).id,  # type: ignore[union-attr]
                                      "U2") is None  # the newcomer was not created either


async def test_a_write_racing_the_member_s_own_first_answer_is_refused(deps: Deps) -> None:
    posted = (await pop(deps)).question
    await quiz.answer(deps, HERE, BOB, posted.round_id, right_letters(posted))
    found = await deps.answers.answering(posted.round_id, "slack", "T1", "U2", fresh=True)
    assert found is not None and found.member is not None and found.previous is not None
    again = Answer(posted.round_id, found.member.id, found.previous.choices, True, 5,
                   deps.clock.now(), 0)
    with pytest.raises(AlreadyAnswered):
        await deps.answers.add_while_open(again, BOB, found.member, close=False)
    with pytest.raises(AlreadyAnswered):  # as a newcomer: the member row is found, not doubled
        await deps.answers.add_while_open(again, BOB, None, close=False)


async def test_a_practice_answer_closes_its_round_so_a_second_click_is_refused(
        deps: Deps) -> None:
    question = await quiz.handle(deps, HERE, ALICE, "me dynamodb")
    letters = right_letters(question)  # type: ignore[arg-type]
    first, second = await asyncio.gather(
        quiz.answer(deps, HERE, ALICE, question.round_id, letters),  # type: ignore[union-attr]
        quiz.answer(deps, HERE, ALICE, question.round_id, letters),  # type: ignore[union-attr]
        return_exceptions=True)
    assert sorted(type(r).__name__ for r in (first, second)) == ["AlreadyAnswered", "Verdict"]
    verdict = first if isinstance(first, Verdict) else second
    assert isinstance(verdict, Verdict) and verdict.points == 1
    async with deps.uow() as uow:
        round_ = await uow.rounds.get(question.round_id)  # type: ignore[union-attr]
        assert round_ is not None and round_.closed_at is not None


async def test_many_first_clicks_by_one_newcomer_store_one_answer_and_one_member(
        deps: Deps) -> None:
    posted = (await pop(deps)).question
    results = await asyncio.gather(*(
        quiz.answer(deps, HERE, BOB, posted.round_id, right_letters(posted))
        for _ in range(8)), return_exceptions=True)
    assert sum(isinstance(r, Receipt) for r in results) == 1
    assert all(isinstance(r, Receipt | AlreadyAnswered) for r in results)
    async with deps.uow() as uow:
        [(answer, member)] = await uow.answers.for_round(posted.round_id)
    assert member.external_id == "U2" and answer.points == 5


async def _drop_connections(url: str) -> None:
    """Terminate every other session on the database, as a restart or a proxy would."""
    admin = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    finally:
        await connection.close()


async def test_an_answer_survives_the_database_dropping_its_connections(
        deps: Deps, database_url: str, postgres_url: str) -> None:
    if database_url != postgres_url:
        pytest.skip("dropped connections are PostgreSQL's")
    posted = (await pop(deps)).question
    await quiz.answer(deps, HERE, ALICE, posted.round_id, right_letters(posted))
    await _drop_connections(postgres_url)  # the pool still holds the dead connections
    receipt = await quiz.answer(deps, HERE, BOB, posted.round_id, right_letters(posted))
    assert isinstance(receipt, Receipt)
    async with deps.uow() as uow:
        assert len(await uow.answers.for_round(posted.round_id)) == 2


async def test_an_idle_connection_is_checked_before_it_is_handed_out(
        engine: AsyncEngine, database_url: str, postgres_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if database_url != postgres_url:
        pytest.skip("dropped connections are PostgreSQL's")
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)
    await _drop_connections(postgres_url)
    async with engine.connect() as connection:  # the ping finds it dead; a new one serves
        assert await connection.scalar(text("SELECT 1")) == 1



class Statements:
    """Counts the statements the answer book sends to PostgreSQL, as the driver sees them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.sent: list[str] = []
        self._logged: set[int] = set()
        event.listen(engine.sync_engine, "checkout", self._log)

    def _log(self, dbapi_connection: Any, *_: object) -> None:
        driver = dbapi_connection.driver_connection
        if id(driver) not in self._logged:
            self._logged.add(id(driver))
            driver.add_query_logger(lambda record: self.sent.append(record.query))

    async def count(self) -> int:
        """How many were sent so far (the driver tells its loggers on the loop's next turn)."""
        await asyncio.sleep(0)
        return len(self.sent)


def answering_with(deps: Deps, engine: AsyncEngine, clock: Callable[[], float]) -> Deps:
    """The dependencies with an answer book of their own, on a clock the test moves."""
    return replace(deps, answers=SqlAnswerBook(engine, monotonic=clock))


async def test_clicks_on_a_pop_quiz_the_process_has_read_are_one_statement_each(
        deps: Deps, engine: AsyncEngine, database_url: str, postgres_url: str) -> None:
    if database_url != postgres_url:
        pytest.skip("SQLite reads every click: it reuses the ids of deleted rounds")
    posted = (await pop(deps)).question
    statements = Statements(engine)
    await quiz.answer(deps, HERE, ALICE, posted.round_id, right_letters(posted))
    assert await statements.count() == 2  # the read, then the write
    await quiz.answer(deps, HERE, BOB, posted.round_id, right_letters(posted))
    assert await statements.count() == 3  # the write alone
    async with deps.uow() as uow:
        answers = await uow.answers.for_round(posted.round_id)
    assert sorted(member.external_id for _, member in answers) == ["U1", "U2"]


async def test_a_pop_quiz_is_read_again_after_a_minute(
        deps: Deps, engine: AsyncEngine, database_url: str, postgres_url: str) -> None:
    if database_url != postgres_url:
        pytest.skip("SQLite reads every click")
    now = [0.0]
    deps = answering_with(deps, engine, lambda: now[0])
    posted = (await pop(deps)).question
    statements = Statements(engine)
    await quiz.answer(deps, HERE, ALICE, posted.round_id, right_letters(posted))
    now[0] = 60.0
    await quiz.answer(deps, HERE, BOB, posted.round_id, right_letters(posted))
    assert await statements.count() == 4  # read and write, twice


async def test_a_second_click_on_a_known_pop_quiz_names_the_first_answer(deps: Deps) -> None:
    posted = (await pop(deps)).question
    letters = right_letters(posted)
    await quiz.answer(deps, HERE, BOB, posted.round_id, letters)
    with pytest.raises(AlreadyAnswered, match=f"You already answered {letters}"):
        await quiz.answer(deps, HERE, BOB, posted.round_id, "a" if letters != "A" else "b")
    deps.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    with pytest.raises(AlreadyAnswered, match=f"You already answered {letters}"):
        await quiz.answer(deps, HERE, BOB, posted.round_id, letters)


async def test_a_known_pop_quiz_is_not_answered_from_another_workspace(deps: Deps) -> None:
    posted = (await pop(deps)).question
    await quiz.answer(deps, HERE, BOB, posted.round_id, right_letters(posted))
    await quiz.handle(deps, ELSEWHERE, ALICE, "stats")  # the other workspace exists
    with pytest.raises(OtherWorkspace):
        await quiz.answer(deps, ELSEWHERE, BOB, posted.round_id, right_letters(posted))
