"""Alembic owns the schema: it matches the models, and upgrades and downgrades cleanly."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.database import downgrade, migrate
from bot.adapters.orm import Base


def _drift(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def test_the_migrations_create_exactly_what_the_models_describe(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_drift) == []


async def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(
        engine: AsyncEngine) -> None:
    await downgrade(engine, "base")
    async with engine.connect() as connection:
        assert await connection.run_sync(_tables) == set()
    await migrate(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_tables) == set(Base.metadata.tables)
        assert await connection.run_sync(_drift) == []
