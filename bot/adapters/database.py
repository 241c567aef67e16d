"""Engine, sessions and migrations."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.shipped import shipped

# Any number of processes may migrate at once (several machines starting a deploy): on
# PostgreSQL they take turns under this transaction-scoped advisory lock, and the later ones
# find the schema at head already.
MIGRATION_LOCK = 0x71756978  # "quix"


def make_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        # The driver's own transaction handling breaks SAVEPOINTs and lets two writers
        # deadlock ("database is locked" at once); SQLAlchemy's documented recipe is to
        # switch it off and begin each transaction ourselves. IMMEDIATE takes the write lock
        # up front, so a second writer waits (up to the timeout) instead of failing.
        engine = create_async_engine(url, connect_args={"timeout": 30, "isolation_level": None})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_async_engine(url, pool_pre_ping=True)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None,
                   token_key: str | None = None) -> Config:
    """Alembic's config pointing at our migrations, optionally on an open connection; a
    migration that encrypts stored Slack tokens finds TOKEN_ENCRYPTION_KEY in it."""
    config = Config()
    config.set_main_option("script_location", str(shipped("migrations")))
    config.attributes["connection"] = connection
    config.attributes["token_encryption_key"] = token_key
    return config


async def migrate(engine: AsyncEngine, revision: str = "head",
                  token_key: str | None = None) -> None:
    """Upgrade the database to a revision (head by default)."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                     {"key": MIGRATION_LOCK})
        await connection.run_sync(
            lambda c: command.upgrade(alembic_config(c, token_key), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at; None when it has no schema yet."""
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda c: MigrationContext.configure(c).get_current_revision())


async def downgrade(engine: AsyncEngine, revision: str, token_key: str | None = None) -> None:
    """Downgrade the database to a revision ('base' empties it)."""
    async with engine.begin() as connection:
        await connection.run_sync(
            lambda c: command.downgrade(alembic_config(c, token_key), revision))
