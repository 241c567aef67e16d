"""`quizbot run` with DISCORD_TOKEN: the client connects in the same loop and stops cleanly."""

from __future__ import annotations

import asyncio
import gc
import socket
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket

from bot.adapters.database import make_engine, make_sessions
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.bootstrap import bootstrap
from bot.domain.model import Workspace
from bot.platforms.discord_bot.client import build_client
from bot.runner import serve
from tests.platforms.discord import gateway
from tests.platforms.discord.chat import text_of
from tests.platforms.discord.conftest import discord_settings
from tests.platforms.discord.fake_api import APP_ID, FakeDiscord
from tests.platforms.discord.gateway import Person, Place, snowflake

T = TypeVar("T")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _workspace(database: str, guild: str) -> Workspace | None:
    engine = make_engine(database)
    try:
        async with SqlUnitOfWorkFactory(make_sessions(engine))() as uow:
            return await uow.workspaces.find("discord", guild)
    finally:
        await engine.dispose()


async def _eventually(probe: Callable[[], Awaitable[T | None]], timeout: float = 10) -> T:
    for _ in range(int(timeout / 0.05)):
        found = await probe()
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("it never happened")


@pytest.fixture(autouse=True)
def heap_thawed() -> Iterator[None]:
    """`serve` freezes the heap once set up; the rest of the test process collects as usual."""
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.fixture
def gateway_at_fake(api: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point discord.py's gateway (a class attribute, like Route.BASE) at the fake's websocket."""
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(api.gateway_url))


async def test_quizbot_run_connects_and_serves_a_guild_over_the_gateway(
        api: FakeDiscord, tmp_path: Path, gateway_at_fake: None) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'q.db'}"
    settings = discord_settings(api, database_url=database, port=_free_port(),
                                scheduler_enabled=False)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    try:
        identify = await api.wait_for(lambda: api.to("WS", "gateway/op2"), timeout=60)
        assert identify[0].body["intents"] == discord.Intents(guilds=True).value
        assert api.to("PUT", f"applications/{APP_ID}/commands"), "commands synced at start"
        place, owner = Place(snowflake(), snowflake()), Person(snowflake(), "Ada")
        await api.dispatch("GUILD_CREATE", gateway.guild_create(place, owner))
        workspace = await _eventually(lambda: _workspace(database, place.guild))
        assert workspace.name == "AWS Study Group" and workspace.active
        asked = gateway.interaction(2, place, owner, gateway.command("help"))
        await api.dispatch("INTERACTION_CREATE", asked)
        reply = await api.reply_to(asked["token"])
        assert "/quiz daily 09:30 Europe/Berlin mon-fri" in text_of(reply)
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=10)


async def test_once_set_up_the_bot_leaves_what_start_up_built_out_of_full_collections(
        api: FakeDiscord, tmp_path: Path, gateway_at_fake: None) -> None:
    settings = discord_settings(api, database_url=f"sqlite+aiosqlite:///{tmp_path / 'q.db'}",
                                port=_free_port(), scheduler_enabled=False)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    try:
        await api.wait_for(lambda: api.to("WS", "gateway/op2"), timeout=60)

        async def frozen() -> int | None:
            return gc.get_freeze_count() or None

        assert await _eventually(frozen) > 10_000, "modules, the bank and the ORM, frozen"
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=10)


async def test_the_client_asks_for_guild_events_only_never_message_content(
        api: FakeDiscord) -> None:
    async with bootstrap(discord_settings(api)) as runtime:
        client = build_client(runtime.deps, runtime.settings)
        assert client.intents == discord.Intents(guilds=True)
        assert not client.intents.message_content and not client.intents.members
        await client.close()


async def test_with_a_shard_count_each_client_connects_one_shard_of_the_pool(
        api: FakeDiscord) -> None:
    async with bootstrap(discord_settings(api, discord_shard_count=3)) as runtime:
        client = build_client(runtime.deps, runtime.settings, "never", shard_id=2)
        try:
            assert (client.shard_id, client.shard_count) == (2, 3)
        finally:
            await client.close()
