"""A real AsyncApp on a real aiohttp server, talking to a fake Slack Web API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.posting import PosterRouter
from bot.adapters.runtime import Runtime
from bot.config import Settings
from bot.platforms.slack_app.platform import SlackPlatform
from bot.services.deps import Deps
from tests.platforms.slack.deliveries import SECRET, SlackSends
from tests.platforms.slack.fake_slack import FakeSlack, Person
from tests.platforms.worker import delivering

ADA = Person("U0ADA", "T1", "Ada", admin=True)
ALICE = Person("U0ALICE", "T1", "Alice")
BOB = Person("U0BOB", "T1", "Bob")
CAROL = Person("U0CAROL", "T1", "Carol")
MALLORY = Person("U0MALLORY", "T2", "Mallory")


@dataclass
class SlackRig:
    """The app under test, Slack's side of it, and the deps the scheduler would use."""

    send: SlackSends
    fake: FakeSlack
    deps: Deps
    platform: SlackPlatform


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """The fake Web API with two workspaces."""
    fake = FakeSlack()
    fake.add_team("T1", "Acme", ADA, ALICE, BOB, CAROL)
    fake.add_team("T2", "Rival", MALLORY)
    await fake.start()
    yield fake
    await fake.close()


def slack_settings(fake: FakeSlack, **overrides: Any) -> Settings:
    """Settings as `quizbot run` would read them: OAuth unless overridden."""
    values: dict[str, Any] = {
        "slack_signing_secret": SECRET, "slack_client_id": "111.222",
        "slack_client_secret": "client-secret", "slack_bot_token": None,
        "slack_app_token": None, "slack_api_url": fake.api_url}
    return Settings(_env_file=None, **(values | overrides))


async def start_rig(settings: Settings, deps: Deps, engine: AsyncEngine,
                    fake: FakeSlack) -> AsyncIterator[SlackRig]:
    """Serve SlackPlatform's routes on 127.0.0.1 as `quizbot run` does, and post through it."""
    router = PosterRouter()
    app_deps = replace(deps, poster=router)
    web_app = web.Application()
    platform = SlackPlatform(Runtime(settings, engine, app_deps, router), web_app,
                             spacing=0.0)
    await platform.start()
    async with (TestClient(TestServer(web_app, host="127.0.0.1")) as http,
                delivering(app_deps)):
        yield SlackRig(SlackSends(http, fake), fake, app_deps, platform)
    await platform.stop()


@pytest.fixture
async def rig(deps: Deps, engine: AsyncEngine, fake_slack: FakeSlack) -> AsyncIterator[SlackRig]:
    """The app in OAuth mode, installable in many workspaces."""
    async for rig in start_rig(slack_settings(fake_slack), deps, engine, fake_slack):
        yield rig


@pytest.fixture
async def installed(rig: SlackRig) -> SlackRig:
    """The OAuth app installed in Acme (T1)."""
    response = await rig.send.install("T1")
    assert response.status == 200
    return rig
