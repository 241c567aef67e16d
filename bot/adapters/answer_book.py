"""The answer path's storage: on PostgreSQL a click is one read and one write, each a single
statement in autocommit, with no BEGIN or COMMIT around them."""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.util import greenlet_spawn

from bot.adapters.database import connections_dropped
from bot.adapters.sql_rounds import (
    ANSWERING_SQL,
    SqlAnswers,
    SqlRounds,
    answering_of,
    totals_after,
    week_period,
)
from bot.adapters.sql_tenants import SqlMembers
from bot.domain.errors import AlreadyAnswered
from bot.domain.model import Answer, Member, Round, RoundKind, Who
from bot.domain.ports import Added, Answering


class SqlAnswerBook:
    """AnswerBook on SQL. On PostgreSQL every call runs on a connection in autocommit, so a
    statement is its own transaction; a call that meets a dropped connection runs once more
    on a fresh one. SQLite runs each call as a transaction of its own (it has no INSERT in a
    WITH, and runs one writer at a time anyway)."""

    def __init__(self, engine: AsyncEngine,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._postgres = engine.dialect.name == "postgresql"
        self._engine = (engine.execution_options(isolation_level="AUTOCOMMIT")
                        if self._postgres else engine)
        self._pops = _KnownPops(monotonic)

    async def answering(self, round_id: int, platform: str, workspace: str, member: str, *,
                        fresh: bool = False) -> Answering | None:
        """What a click needs, in one read (see SqlAnswers.answering); on PostgreSQL a pop
        quiz read in the last minute comes from memory (SQLite reuses the ids of deleted rows,
        so there a remembered id could name another round)."""
        if not self._postgres:
            async with self._session() as session:
                return await SqlAnswers(session).answering(round_id, platform, workspace,
                                                           member)
        if not fresh and (known := self._pops.get(round_id, platform, workspace)):
            return known
        row, _ = await self._fetchrow(ANSWERING_SQL, (round_id, platform, workspace, member))
        if row is None:
            return None
        found = answering_of(row, member)
        if found.round.kind is RoundKind.POP:
            self._pops.keep(found, platform, workspace)
        return found

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        """The channel's latest daily rounds before a date, with the member's results (on
        PostgreSQL straight through the driver, as the click's other statements)."""
        if self._postgres:
            rows, _ = await self._fetch(DAILY_RESULTS_SQL, (member_id, channel_id, before, limit))
            return [(Round(row[0], row[1], row[2], row[3], RoundKind(row[4]), row[5], row[6],
                           row[7], row[8], row[9], row[10], row[11]), row[12]) for row in rows]
        for last in (False, True):
            try:
                async with self._session() as session:
                    return await SqlAnswers(session).daily_results(member_id, channel_id,
                                                                   before, limit)
            except DBAPIError as error:
                if last or not error.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    async def practice_scored_between(self, member_id: int, start: datetime,
                                      end: datetime) -> int:
        """Practice answers that scored, in a time range."""
        for last in (False, True):
            try:
                async with self._session() as session:
                    return await SqlAnswers(session).practice_scored_between(member_id, start,
                                                                             end)
            except DBAPIError as error:
                if last or not error.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    async def add_while_open(self, answer: Answer, who: Who, member: Member | None, *,
                             close: bool) -> Added | None:
        """Store the answer while the round is open: one statement on PostgreSQL."""
        if not self._postgres:
            return await self._add_in_a_transaction(answer, who, member, close)
        sql, args = _write(answer, who, member, close)
        row, retried = await self._fetchrow(sql, args)
        if retried and row is not None and row[1] and row[0] is None:
            # The first try's connection dropped after it was sent, so it may have committed:
            # the answer already there is this one when it is identical.
            row = await self._ours(answer, who) or row
        if row is None or not row[1]:
            return None
        if row[0] is None:
            raise AlreadyAnswered("You have already answered; the first answer counts.")
        if member is None:
            member = Member(row[2], row[3], who.external_id, row[4])
        return Added(int(row[0]), member)

    async def _ours(self, answer: Answer, who: Who) -> Sequence[Any] | None:
        """(id, open, member...) of the stored answer if it is this very answer."""
        row, _ = await self._fetchrow(STORED_SQL, (answer.round_id, who.external_id))
        if row is None or row[1] != answer.answered_at or \
                frozenset(json.loads(row[2])) != answer.choices:
            return None
        return (row[0], True, *row[3:])

    async def _fetchrow(self, sql: str,
                        args: tuple[object, ...]) -> tuple[Sequence[Any] | None, bool]:
        """(the first row, whether it took a second try), as `_fetch`."""
        rows, retried = await self._fetch(sql, args)
        return (rows[0] if rows else None), retried

    async def _fetch(self, sql: str,
                     args: tuple[object, ...]) -> tuple[list[Sequence[Any]], bool]:
        """(the rows, whether it took a second try): one statement on a connection
        taken from the engine's pool itself, straight through the driver (on the answer path
        SQLAlchemy's connection and result handling cost more than the statement; outside a
        transaction each statement commits by itself). A dropped connection is invalidated,
        the pool checks every connection used before the drop, and the statement runs once
        more."""
        pool = self._engine.sync_engine.pool
        for retried in (False, True):
            pooled = await greenlet_spawn(pool.connect)
            driver = None
            try:
                driver = pooled.driver_connection
                assert driver is not None  # a connection checked out of the pool
                return await driver.fetch(sql, *args), retried
            except Exception:
                if retried or driver is None or not driver.is_closed():
                    raise
                await greenlet_spawn(pooled.invalidate)
                connections_dropped(self._engine)
            finally:
                await greenlet_spawn(pooled.close)
        raise AssertionError("unreachable")

    async def _add_in_a_transaction(self, answer: Answer, who: Who, member: Member | None,
                                    close: bool) -> Added | None:
        """SQLite: the same checks and writes as WRITE_SQL, in one IMMEDIATE transaction."""
        async with self._session() as session:
            round_ = await SqlRounds(session).get(answer.round_id)
            if round_ is None or not round_.is_open(answer.answered_at):
                return None
            if close:
                await SqlRounds(session).close(round_.id, answer.answered_at)
            if member is None:
                member = await SqlMembers(session).ensure(round_.workspace_id, who.external_id,
                                                          who.display_name)
            answers = SqlAnswers(session)
            answer_id = await answers.add(Answer(
                answer.round_id, member.id, answer.choices, answer.correct, answer.points,
                answer.answered_at, answer.streak))
            await session.commit()
        return Added(answer_id, member)

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        """A session; on PostgreSQL bound to one autocommit connection, so it sends no BEGIN."""
        if not self._postgres:
            async with AsyncSession(self._engine, expire_on_commit=False) as session:
                yield session
            return
        async with self._engine.connect() as connection, \
                AsyncSession(bind=connection, expire_on_commit=False) as session:
            yield session


class _KnownPops:
    """Pop quizzes this process has read, without their member: a pop quiz's round, question,
    channel and topic do not change while it is open (its close is the write's to see), and its
    points do not depend on who answers. Kept for a minute, so a question retired meanwhile
    still scores for at most that long; the latest few thousand."""

    KEEP_FOR = 60.0  # seconds
    MOST = 4096

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._known: OrderedDict[int, tuple[float, str, str, Answering]] = OrderedDict()

    def get(self, round_id: int, platform: str, workspace: str) -> Answering | None:
        """The pop quiz if it was read lately in this workspace, else None."""
        entry = self._known.get(round_id)
        if entry is None:
            return None
        until, its_platform, its_workspace, found = entry
        if until <= self._monotonic():
            del self._known[round_id]
            return None
        return found if (its_platform, its_workspace) == (platform, workspace) else None

    def keep(self, found: Answering, platform: str, workspace: str) -> None:
        """Remember a pop quiz as read for one member, without that member."""
        until = self._monotonic() + self.KEEP_FOR
        self._known[found.round.id] = (until, platform, workspace,
                                       replace(found, member=None, previous=None))
        self._known.move_to_end(found.round.id)
        while len(self._known) > self.MOST:
            self._known.popitem(last=False)


def _write(answer: Answer, who: Who, member: Member | None,
           close: bool) -> tuple[str, tuple[object, ...]]:
    """The write statement for the case, and its arguments."""
    head = (answer.round_id, json.dumps(sorted(answer.choices)), answer.correct,
            answer.points, answer.streak, answer.answered_at, week_period(answer.answered_at))
    gate = CLOSE_ROUND if close else SHARE_ROUND
    if member is None:
        return NEWCOMER_SQL.format(gate=gate), (*head, who.external_id,
                                                 who.display_name or who.external_id)
    return MEMBER_SQL.format(gate=gate), (*head, member.id)


# The gate of a write ($1 the round, $6 the answer's instant): the round while it is open,
# share-locked so that a close (an UPDATE of the row) waits until the answer has committed and
# then counts it, while answers do not wait for each other; a close that committed first makes
# the row fail the condition, and nothing is written. A practice answer closes its round in
# the same statement instead (its own double click then finds it closed).
SHARE_ROUND = """
    SELECT id, workspace_id FROM rounds
    WHERE id = $1 AND closed_at IS NULL AND closes_at > $6
    FOR SHARE
"""
CLOSE_ROUND = """
    UPDATE rounds SET closed_at = $6
    WHERE id = $1 AND closed_at IS NULL AND closes_at > $6
    RETURNING id, workspace_id
"""

# $2 choices, $3 correct, $4 points, $5 streak, $7 the week's period of member_points.
TOTALS = totals_after("$7")

# A known member ($8). Returns (answer id or NULL when they answered already, whether the
# round was open).
MEMBER_SQL = """
WITH r AS ({gate}), a AS (
    INSERT INTO answers (workspace_id, round_id, member_id, choices, correct, points, streak,
                         answered_at)
    SELECT r.workspace_id, r.id, $8, CAST($2 AS JSON), $3, $4, $5, $6 FROM r
    ON CONFLICT (round_id, member_id) DO NOTHING
    RETURNING id, workspace_id, member_id, points
""" + TOTALS + """
SELECT (SELECT id FROM a), EXISTS (SELECT 1 FROM r)
"""

# Someone the workspace has not seen ($8 their id, $9 their name), created with the answer.
# A newcomer racing their own double click finds the other request's member row (the no-op
# update returns it) and its answer (no id comes back). Returns (answer id, open, member id,
# workspace id, name).
NEWCOMER_SQL = """
WITH r AS ({gate}), m AS (
    INSERT INTO members (workspace_id, external_id, display_name)
    SELECT r.workspace_id, $8, $9 FROM r
    ON CONFLICT (workspace_id, external_id) DO UPDATE SET display_name = members.display_name
    RETURNING id, workspace_id, display_name
), a AS (
    INSERT INTO answers (workspace_id, round_id, member_id, choices, correct, points, streak,
                         answered_at)
    SELECT m.workspace_id, $1, m.id, CAST($2 AS JSON), $3, $4, $5, $6 FROM m
    ON CONFLICT (round_id, member_id) DO NOTHING
    RETURNING id, workspace_id, member_id, points
""" + TOTALS + """
SELECT (SELECT id FROM a), EXISTS (SELECT 1 FROM r), m.id, m.workspace_id, m.display_name
FROM (VALUES (1)) AS one LEFT JOIN m ON true
"""

# The channel's ($2) latest ($4) daily rounds before a local date ($3), newest first, each
# with the member's ($1) result: the columns of Round in its order, then correct.
DAILY_RESULTS_SQL = """
SELECT r.id, r.workspace_id, r.channel_id, r.question_id, r.kind, r.opened_at, r.closes_at,
       r.seed, r.closed_at, r.local_date, r.member_id, r.message_ref, a.correct
FROM rounds r
LEFT JOIN answers a ON a.round_id = r.id AND a.member_id = $1
WHERE r.channel_id = $2 AND r.local_date IS NOT NULL AND r.local_date < $3
ORDER BY r.local_date DESC
LIMIT $4
"""

# A member's stored answer to a round ($1 the round, $2 the member's platform id), to tell
# after a dropped connection whether the answer already there is the one just sent.
STORED_SQL = """
SELECT a.id, a.answered_at, a.choices::text, m.id, m.workspace_id, m.display_name
FROM rounds r
JOIN members m ON m.workspace_id = r.workspace_id AND m.external_id = $2
JOIN answers a ON a.round_id = r.id AND a.member_id = m.id
WHERE r.id = $1
"""
