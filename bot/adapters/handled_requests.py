"""Platform requests already handled, in SQL, so a retry or replay to any process has one
effect within the platforms' replay window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapters.orm import HandledRequestRow

REPLAY_WINDOW = timedelta(minutes=5)  # Slack refuses older timestamps; Discord's tokens last 15
KEEP = REPLAY_WINDOW * 2
PURGE_EVERY = 500  # claims between deletions of expired keys
KEY_LENGTH = 200


class SqlHandledRequests:
    """Claims request keys with the table's primary key: the first claim wins everywhere."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._claims = 0

    async def claim(self, key: str, now: datetime) -> bool:
        """True for the first claim of a key; False when any process claimed it before."""
        self._claims += 1
        async with self._sessions() as session:
            if self._claims % PURGE_EVERY == 1:
                await session.execute(delete(HandledRequestRow)
                                      .where(HandledRequestRow.handled_at < now - KEEP))
            try:
                await session.execute(insert(HandledRequestRow).values(
                    key=key[:KEY_LENGTH], handled_at=now))
                await session.commit()
            except IntegrityError:
                return False
        return True

    async def release(self, key: str) -> None:
        """Forget a claim whose request failed, so the platform's retry runs it."""
        async with self._sessions() as session:
            await session.execute(delete(HandledRequestRow)
                                  .where(HandledRequestRow.key == key[:KEY_LENGTH]))
            await session.commit()
