"""Alembic owns the schema: it matches the models, and upgrades and downgrades cleanly."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.database import (
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    migrate,
)
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


def test_each_migration_is_its_files_number_and_follows_the_one_before() -> None:
    scripts = list(ScriptDirectory.from_config(alembic_config()).walk_revisions())
    for script in scripts:
        assert script.path is not None
        number = script.path.rsplit("/", 1)[-1][:4]
        assert script.revision == number
        assert script.down_revision == (f"{int(number) - 1:04d}" if number != "0001" else None)
    assert head_revision() == scripts[0].revision == f"{len(scripts):04d}"


async def test_a_database_at_head_is_left_alone_without_running_alembic(
        engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("Alembic ran on a database already at head")

    monkeypatch.setattr(command, "upgrade", refuse)
    await migrate(engine)
    assert await current_revision(engine) == head_revision()


async def test_a_database_behind_head_is_upgraded(engine: AsyncEngine) -> None:
    await downgrade(engine, "0007")
    assert await current_revision(engine) == "0007"
    await migrate(engine)
    assert await current_revision(engine) == head_revision()
