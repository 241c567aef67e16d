"""Fixtures: the fake Discord API, and a chat whose client is logged in to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import pytest
from discord.http import Route
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.posting import PosterRouter
from bot.adapters.runtime import Runtime
from bot.config import Settings
from bot.services.deps import Deps
from tests.platforms.discord.chat import DiscordChat
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.discord.gateway import EVERYONE, MANAGE_GUILD, Person, Place, snowflake
from tests.platforms.worker import delivering


@pytest.fixture(autouse=True)
def restore_api_base() -> Iterator[None]:
    """discord.py's REST base is process-wide; put it back after each test."""
    before = Route.BASE
    yield
    Route.BASE = before


@pytest.fixture
async def api() -> AsyncIterator[FakeDiscord]:
    """The fake Discord REST API on a random local port."""
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.close()


def discord_settings(api: FakeDiscord, **extra: Any) -> Settings:
    """Settings that point the bot at the fake API, ignoring any .env file."""
    return Settings(_env_file=None, discord_token="test-token",
                    discord_api_url=api.url, **extra)


@pytest.fixture
def runtime(deps: Deps, engine: AsyncEngine, api: FakeDiscord) -> Runtime:
    """What `quizbot run` builds, on the test database, posting through the router."""
    router = PosterRouter()
    return Runtime(discord_settings(api), engine, replace(deps, poster=router), router)


@pytest.fixture
async def chat(runtime: Runtime, api: FakeDiscord) -> AsyncIterator[DiscordChat]:
    """A started Discord chat."""
    chat = DiscordChat(runtime, api)
    await chat.start()
    async with delivering(runtime.deps):
        yield chat
    await chat.stop()


@pytest.fixture
def place() -> Place:
    """A guild with a #quiz channel."""
    return Place(guild=snowflake(), channel=snowflake())


@pytest.fixture
def admin() -> Person:
    """A member with Manage Server."""
    return Person(snowflake(), "Ada", permissions=EVERYONE | MANAGE_GUILD)
