"""The readiness chart on Slack: an image block whose signed, expiring link the bot serves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.clock import FrozenClock
from bot.services.deps import Deps
from tests.platforms.slack.conftest import ALICE, SlackRig, slack_settings, start_rig
from tests.platforms.slack.fake_slack import FakeSlack
from tests.platforms.slack.test_commands import reply


@pytest.fixture
async def public(deps: Deps, engine: AsyncEngine,
                 fake_slack: FakeSlack) -> AsyncIterator[SlackRig]:
    """The app with a public address, installed in Acme."""
    settings = slack_settings(fake_slack, public_url="https://quiz.example.org")
    async for rig in start_rig(settings, deps, engine, fake_slack):
        assert (await rig.send.install("T1")).status == 200
        yield rig


async def test_stats_carry_the_readiness_chart_which_the_bot_serves_until_the_link_expires(
        public: SlackRig, clock: FrozenClock) -> None:
    stats = await reply(public, ALICE, "stats")
    [image] = [b for b in stats["blocks"] if b["type"] == "image"]
    assert image["alt_text"].startswith("Exam readiness chart. Not enough answers yet")
    link = urlsplit(image["image_url"])
    assert link.netloc == "quiz.example.org"
    path = f"{link.path}?{link.query}"

    served = await public.send.http.get(path)
    assert served.status == 200 and served.content_type == "image/png"
    assert (await served.read()).startswith(b"\x89PNG")

    someone_else = path.replace(link.path.rsplit("/", 1)[1], "999.png")
    assert (await public.send.http.get(someone_else)).status == 403
    tampered = path[:-1] + ("1" if path.endswith("0") else "0")
    assert (await public.send.http.get(tampered)).status == 403
    clock.advance(timedelta(days=1, minutes=1))
    assert (await public.send.http.get(path)).status == 403


async def test_without_a_public_address_stats_have_no_image(installed: SlackRig) -> None:
    stats = await reply(installed, ALICE, "stats")
    assert all(b["type"] != "image" for b in stats["blocks"])
