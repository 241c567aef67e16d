"""Settings accept the database URLs that hosting providers hand out."""

from __future__ import annotations

import pytest

from bot.config import Settings, async_database_url


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u:p@db.internal:5432/quiz?sslmode=disable",
     "postgresql+asyncpg://u:p@db.internal:5432/quiz?ssl=disable"),
    ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
    ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ("sqlite:///quizbot.db", "sqlite+aiosqlite:///quizbot.db"),
])
def test_a_plain_database_url_gets_the_async_driver(given: str, used: str) -> None:
    assert async_database_url(given) == used


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.redis_url == "redis://cache:6379/0"
