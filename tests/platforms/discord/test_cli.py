"""`quizbot discord sync`, run as the README says, against the fake Discord API."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.platforms.discord.fake_api import APP_ID, FakeDiscord

QUIZBOT = Path(sys.executable).parent / "quizbot"


async def _quizbot(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    process = await asyncio.create_subprocess_exec(
        str(QUIZBOT), *args, cwd=tmp_path, env={**clean, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_discord_sync_registers_the_commands_even_when_unchanged(
        api: FakeDiscord, tmp_path: Path) -> None:
    env = {"DISCORD_TOKEN": "test-token", "DISCORD_API_URL": api.url,
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'quiz.db'}"}
    for _ in range(2):
        code, output = await _quizbot(tmp_path, "discord", "sync", **env)
        assert code == 0, output
        assert "Registered /quiz globally" in output
    puts = api.to("PUT", f"applications/{APP_ID}/commands")
    assert len(puts) == 2 and [c["name"] for c in puts[-1].body] == ["quiz"]


async def test_discord_sync_to_a_dev_guild(api: FakeDiscord, tmp_path: Path) -> None:
    code, output = await _quizbot(tmp_path, "discord", "sync", DISCORD_TOKEN="test-token",
                                  DISCORD_API_URL=api.url, DISCORD_DEV_GUILD="123456789")
    assert code == 0, output
    assert "Registered /quiz in guild 123456789." in output
    assert len(api.to("PUT", f"applications/{APP_ID}/guilds/123456789/commands")) == 1


async def test_discord_sync_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    code, output = await _quizbot(tmp_path, "discord", "sync")
    assert code == 1 and "Set DISCORD_TOKEN" in output
