"""Re-encrypt every stored Slack token with the newest key (and encrypt plain ones)."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import MetaData, Table, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.token_cipher import TokenCipher

TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def token_tables() -> list[Table]:
    """slack_sdk's installations and bots tables, as its store defines them."""
    metadata = MetaData()
    return [SQLAlchemyInstallationStore.build_installations_table(metadata,
                                                                  "slack_installations"),
            SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")]


async def rotate_tokens(engine: AsyncEngine, cipher: TokenCipher) -> int:
    """Rewrite each stored token with the first key, in one transaction; how many changed."""
    changed = 0
    async with engine.begin() as connection:
        for table in token_tables():
            columns = [table.c[name] for name in TOKEN_COLUMNS if name in table.c]
            rows = await connection.execute(select(table.c.id, *columns))
            for row in rows.mappings().all():
                values = {c.name: cipher.rotate(row[c.name]) for c in columns
                          if row[c.name] is not None}
                if values:
                    await connection.execute(update(table).where(table.c.id == row["id"])
                                             .values(**values))
                    changed += 1
    return changed
