"""Settings from the environment and `.env`."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the bot reads from its environment; nothing is read at import time.
    Secrets are SecretStr: printed or logged, they show as '**********'."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    database_url: str = "sqlite+aiosqlite:///quizbot.db"
    # PostgreSQL connections each process keeps open (32 answers in flight wait for none).
    database_pool_size: int = Field(default=32, ge=1)
    redis_url: str | None = None
    log_level: str = "INFO"
    questions_path: str | None = None  # unset: the bank shipped with the package
    port: int = 8080
    # The bot's public https address; with it Slack shows readiness charts served by the bot.
    public_url: str | None = None

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # How fast the bot posts to one Slack workspace: the workers share it through the
    # database (each post's start is reserved when it is claimed), so every worker has it all.
    slack_workspace_posts_per_minute: float = Field(default=300.0, gt=0)

    discord_token: SecretStr | None = None
    discord_api_url: str | None = None
    discord_gateway_url: str | None = None
    discord_shard_count: int | None = Field(default=None, ge=1)
    # How many of the DISCORD_SHARD_COUNT shards one worker may hold (default: all of them).
    discord_shards_per_worker: int | None = Field(default=None, ge=1)
    # How often a worker looks for shards nobody holds; a dead worker's shards move this fast.
    shard_claim_seconds: float = Field(default=10.0, gt=0)
    discord_dev_guild: int | None = None
    # How fast this process sends requests to Discord (all guilds): Discord counts every
    # process of the bot together, so N posting workers each take 1/N of it.
    discord_requests_per_second: float = Field(default=45.0, gt=0)

    scheduler_enabled: bool = Field(default=True)
    # How often a worker runs the scheduling pass, and how long a deliverer's claim on a post
    # lasts before another worker may take the post over (the holder renews it while posting).
    schedule_pass_seconds: float = Field(default=5.0, gt=0)
    delivery_claim_seconds: float = Field(default=30.0, ge=1)

    # Fernet keys, comma-separated (the first encrypts): Slack tokens are encrypted at rest.
    token_encryption_key: SecretStr | None = None
    # Bearer token that GET /metrics asks for; unset: /metrics is open.
    metrics_token: SecretStr | None = None

    def secrets(self) -> list[str]:
        """Every secret value set, for the logs to leave out."""
        values = [getattr(self, name) for name, field in type(self).model_fields.items()
                  if field.annotation == SecretStr | None]
        passwords = [urlsplit(url).password for url in (self.database_url, self.redis_url or "")]
        return [value.get_secret_value() for value in values if value is not None] + [
            password for password in passwords if password]

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
