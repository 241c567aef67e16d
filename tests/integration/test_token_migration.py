"""Migration 0005: tokens stored in plain text before it are encrypted when a key is set, and a
downgrade with the key stores them in plain text again."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.database import downgrade, migrate
from bot.adapters.token_cipher import TokenCipher, new_key

KEY = new_key()
LONG_REFRESH = "xoxe-1-" + "r" * 180  # rotation tokens are long; sealed, longer still


async def _plain_rows(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, bot_id, bot_user_id,"
            " is_enterprise_install, installed_at) VALUES ('1.2', 'A1', 'T1', 'xoxb-plain',"
            " 'B1', 'U1', false, CURRENT_TIMESTAMP)"))


async def _tokens(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT bot_token FROM slack_bots"))).scalars())


async def test_tokens_stored_before_are_encrypted_and_a_downgrade_decrypts_them(
        engine: AsyncEngine) -> None:
    await downgrade(engine, "0004")
    await _plain_rows(engine)
    await migrate(engine, token_key=KEY)
    (sealed,) = await _tokens(engine)
    assert sealed.startswith("fernet:") and TokenCipher([KEY]).open(sealed) == "xoxb-plain"
    async with engine.begin() as connection:  # the widened columns take long sealed tokens
        await connection.execute(text("UPDATE slack_bots SET bot_refresh_token = :t"),
                                 {"t": TokenCipher([KEY]).seal(LONG_REFRESH)})
        await connection.execute(text("UPDATE slack_bots SET bot_refresh_token = NULL"))
    await downgrade(engine, "0004", token_key=KEY)
    assert await _tokens(engine) == ["xoxb-plain"]
    await migrate(engine)
    assert await _tokens(engine) == ["xoxb-plain"], "without a key, 0005 leaves tokens as they are"
