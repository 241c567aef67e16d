"""Engine, sessions and migrations."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Pool, event, exc, inspect, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.shipped import shipped

if TYPE_CHECKING:
    from alembic.config import Config

# Any number of processes may migrate at once (several machines starting a deploy): on
# PostgreSQL they take turns under this transaction-scoped advisory lock, and the later ones
# find the schema at head already.
MIGRATION_LOCK = 0x71756978  # "quix"
DEFAULT_POOL_SIZE = 32  # connections kept per process: a burst of 32 clicks waits for none
PING_AFTER_IDLE = 30.0  # seconds; a connection idle longer is pinged before it is handed out
_DROPPED: WeakKeyDictionary[Pool, float] = WeakKeyDictionary()  # when a drop was last seen


def make_engine(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys and a busy timeout, PostgreSQL a pool of at
    most `pool_size` connections (a burst beyond waits for one) that pings only idle ones and
    hands out the most recently used first (its server process is the one still awake)."""
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
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=0,
                                  pool_use_lifo=True)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a connection on checkout only when it sat idle for PING_AFTER_IDLE seconds.

    The pool's own pre-ping costs three round trips per checkout on asyncpg (BEGIN, the ping,
    ROLLBACK), more than a click's whole work. A busy pool hands out connections used a moment
    ago, which skip it; a dead connection that slips through fails its statement, SQLAlchemy
    then invalidates the pool, and the answer path retries once (bot.adapters.answer_book).
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _used(_dbapi_connection: object, record: Any) -> None:
        record.info["used_at"] = time.monotonic()

    pool = engine.sync_engine.pool

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: object) -> None:
        used_at = record.info.get("used_at")
        if used_at is None or (time.monotonic() - used_at < PING_AFTER_IDLE
                               and used_at > _DROPPED.get(pool, 0.0)):
            return
        try:
            dbapi_connection.ping()
        except Exception as error:  # the pool replaces it and tries another connection
            raise exc.DisconnectionError(str(error)) from error


def connections_dropped(engine: AsyncEngine) -> None:
    """Note that a connection of the engine's pool was found dropped (the database restarted,
    say): each connection used before now is pinged when next handed out, so a dead one is
    replaced instead of failing its statement. (SQLAlchemy does this itself for the errors it
    sees; the answer path's statements go to the driver directly.)"""
    _DROPPED[engine.sync_engine.pool] = time.monotonic()


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None,
                   token_key: str | None = None) -> Config:
    """Alembic's config pointing at our migrations, optionally on an open connection; a
    migration that encrypts stored Slack tokens finds TOKEN_ENCRYPTION_KEY in it."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(shipped("migrations")))
    config.attributes["connection"] = connection
    config.attributes["token_encryption_key"] = token_key
    return config


def head_revision() -> str:
    """The newest migration's revision, from the file names: each revision is its file's
    four-digit number (0008_workspace_post_slots.py is 0008), and each follows the one before."""
    return max(path.name[:4] for path in (shipped("migrations") / "versions").glob("[0-9]*.py"))


async def migrate(engine: AsyncEngine, revision: str = "head",
                  token_key: str | None = None) -> None:
    """Upgrade the database to a revision (head by default)."""
    # Every start migrates; a database at head already (the usual case) is told by one read,
    # without loading Alembic and every migration script, a fifth of a second of a start.
    if revision == "head" and await current_revision(engine) == head_revision():
        return
    from alembic import command

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                     {"key": MIGRATION_LOCK})
        await connection.run_sync(
            lambda c: command.upgrade(alembic_config(c, token_key), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at; None when it has no schema yet."""
    async with engine.connect() as connection:
        return await connection.run_sync(_revision_of)


def _revision_of(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def downgrade(engine: AsyncEngine, revision: str, token_key: str | None = None) -> None:
    """Downgrade the database to a revision ('base' empties it)."""
    from alembic import command

    async with engine.begin() as connection:
        await connection.run_sync(
            lambda c: command.downgrade(alembic_config(c, token_key), revision))
