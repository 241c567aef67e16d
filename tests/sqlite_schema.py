"""Fresh SQLite databases for tests, copied from one migrated file instead of migrated each."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import threading
import uuid
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def _schema_name() -> str:
    """A file name that changes whenever a migration does."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.rglob("*.py")):
        digest.update(path.relative_to(MIGRATIONS).as_posix().encode())
        digest.update(path.read_bytes())
    return f"quizbot-schema-{digest.hexdigest()[:16]}.db"


def _migrate(path: Path) -> None:
    from bot.adapters.database import make_engine, migrate

    async def run() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await migrate(engine)
        finally:
            await engine.dispose()

    # In a thread of its own: the caller may be inside the test's event loop.
    worker = threading.Thread(target=asyncio.run, args=(run(),))
    worker.start()
    worker.join()
    if not path.exists():
        raise RuntimeError(f"migrating {path} failed")


def sqlite_database(folder: Path, templates: Path) -> str:
    """The URL of a SQLite database at head in `folder`, copied from a template in
    `templates` that is migrated once per version of the migrations (a migration from
    scratch takes most of a second; a copy, a millisecond)."""
    template = templates / _schema_name()
    if not template.exists():
        building = templates / f"{template.name}.{uuid.uuid4().hex}.tmp"
        _migrate(building)
        os.replace(building, template)  # atomic: a run beside this one sees all of it or none
    database = folder / "quiz.db"
    shutil.copyfile(template, database)
    return f"sqlite+aiosqlite:///{database}"
