"""Alembic environment: migrations run on a connection the bot hands over, or on DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bot.adapters.orm import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_on_url(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_online() -> None:
    """Use the bot's connection when given one; else connect to DATABASE_URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///quizbot.db")
    asyncio.run(_run_on_url(url))


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `quizbot migrate`.")
run_migrations_online()
