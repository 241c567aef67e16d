"""Platform requests already handled, in SQL, so a retry or replay to any process has one
effect within the platforms' replay window."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.adapters.orm import HandledRequestRow

REPLAY_WINDOW = timedelta(minutes=5)  # Slack refuses older timestamps; Discord's tokens last 15
KEEP = REPLAY_WINDOW * 2
PURGE_EVERY = 500  # claims between deletions of expired keys
KEY_LENGTH = 200


class SqlHandledRequests:
    """Claims request keys with the table's primary key: the first claim wins everywhere.

    Each claim is one statement in autocommit: it runs before every request, so it costs one
    round trip, not a transaction's three.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        self._claims = 0

    async def claim(self, key: str, now: datetime) -> bool:
        """True for the first claim of a key; False when any process claimed it before."""
        self._claims += 1
        async with self._connection() as connection:
            if self._claims % PURGE_EVERY == 1:
                await connection.execute(delete(HandledRequestRow)
                                         .where(HandledRequestRow.handled_at < now - KEEP))
            claimed = await connection.scalar(
                self._insert(HandledRequestRow).values(key=key[:KEY_LENGTH], handled_at=now)
                .on_conflict_do_nothing().returning(HandledRequestRow.key))
        return claimed is not None

    async def release(self, key: str) -> None:
        """Forget a claim whose request failed, so the platform's retry runs it."""
        async with self._connection() as connection:
            await connection.execute(delete(HandledRequestRow)
                                     .where(HandledRequestRow.key == key[:KEY_LENGTH]))

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        """Autocommit on PostgreSQL; SQLite's writes go through its own BEGIN IMMEDIATE."""
        if self._engine.dialect.name != "postgresql":
            async with self._engine.begin() as connection:
                yield connection
            return
        async with self._engine.connect() as connection:
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")
