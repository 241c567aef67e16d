"""Settings from the environment and `.env`."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the bot reads from its environment; nothing is read at import time."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    database_url: str = "sqlite+aiosqlite:///quizbot.db"
    # PostgreSQL connections each process keeps open (32 answers in flight wait for none).
    database_pool_size: int = Field(default=32, ge=1)
    redis_url: str | None = None
    log_level: str = "INFO"
    questions_path: str = "questions"
    port: int = 8080

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"

    discord_token: str | None = None
    discord_api_url: str | None = None
    discord_shard_count: int | None = None
    discord_dev_guild: int | None = None

    scheduler_enabled: bool = Field(default=True)
    # How often a worker runs the scheduling pass, and how long a deliverer's claim on a post
    # lasts before another worker may take the post over (the holder renews it while posting).
    schedule_pass_seconds: float = Field(default=5.0, gt=0)
    delivery_claim_seconds: float = Field(default=30.0, ge=1)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        return async_database_url(url)


def async_database_url(url: str) -> str:
    """Accept the URLs hosts hand out (postgres://…?sslmode=…) and use the async drivers."""
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            url = "postgresql+asyncpg://" + url[len(plain):]
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    if url.startswith("postgresql+asyncpg://"):
        url = url.replace("sslmode=", "ssl=")  # asyncpg's name for the same setting
    return url
