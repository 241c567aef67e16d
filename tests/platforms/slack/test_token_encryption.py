"""With TOKEN_ENCRYPTION_KEY, Slack tokens are stored encrypted and still used; a key is rotated
by putting the new one first and re-encrypting; tokens stored before keep working."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.sql_tokens import rotate_tokens
from bot.adapters.token_cipher import TokenCipher, new_key
from bot.services.deps import Deps
from tests.platforms.slack.conftest import ALICE, SlackRig, slack_settings, start_rig
from tests.platforms.slack.fake_slack import FakeSlack, bot_token

OLD, NEW = new_key(), new_key()


async def stored_tokens(engine: AsyncEngine) -> list[str]:
    """Every bot token as the database holds it."""
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT bot_token FROM slack_bots UNION ALL SELECT bot_token FROM slack_installations"))
        return [row[0] for row in rows]


async def rig_with(key: str | None, deps: Deps, engine: AsyncEngine,
                   fake: FakeSlack) -> AsyncIterator[SlackRig]:
    """The OAuth app with this TOKEN_ENCRYPTION_KEY."""
    async for rig in start_rig(slack_settings(fake, token_encryption_key=key), deps, engine,
                               fake):
        yield rig


async def posts(rig: SlackRig) -> None:
    """A pop quiz goes out with the workspace's token (the fake refuses any other)."""
    _, key = await rig.send.command(ALICE, "now")
    await rig.fake.wait_until(lambda: bool(rig.fake.responses_to(key)))
    assert "Pop quiz posted" in rig.fake.responses_to(key)[0]["text"]


async def test_an_install_stores_only_encrypted_tokens_and_the_bot_still_posts(
        deps: Deps, engine: AsyncEngine, fake_slack: FakeSlack) -> None:
    async for rig in rig_with(OLD, deps, engine, fake_slack):
        assert (await rig.send.install("T1")).status == 200
        stored = await stored_tokens(engine)
        assert stored and all(t.startswith("fernet:") and bot_token("T1") not in t
                              for t in stored)
        await posts(rig)


async def test_a_rotated_key_leaves_the_old_one_unneeded(
        deps: Deps, engine: AsyncEngine, fake_slack: FakeSlack) -> None:
    async for rig in rig_with(OLD, deps, engine, fake_slack):
        assert (await rig.send.install("T1")).status == 200
    assert await rotate_tokens(engine, TokenCipher([NEW, OLD])) == 2
    only_new = TokenCipher([NEW])
    assert {only_new.open(t) for t in await stored_tokens(engine)} == {bot_token("T1")}
    async for rig in rig_with(NEW, deps, engine, fake_slack):
        await posts(rig)


async def test_tokens_stored_before_encryption_still_work_and_rotate_encrypts_them(
        deps: Deps, engine: AsyncEngine, fake_slack: FakeSlack) -> None:
    async for rig in rig_with(None, deps, engine, fake_slack):
        assert (await rig.send.install("T1")).status == 200
    assert set(await stored_tokens(engine)) == {bot_token("T1")}
    async for rig in rig_with(NEW, deps, engine, fake_slack):
        await posts(rig)
    await rotate_tokens(engine, TokenCipher([NEW]))
    assert all(t.startswith("fernet:") for t in await stored_tokens(engine))
