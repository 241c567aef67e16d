"""App Home, uninstalls and revoked tokens, delivered as Slack's Events API does."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from bot.adapters.clock import FrozenClock
from bot.services.due import run_due
from tests.platforms.slack.conftest import ADA, ALICE, SlackRig


def home_opened(user: str) -> dict[str, object]:
    return {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
            "event_ts": "1800000000.000100"}


async def test_the_home_tab_shows_my_stats_and_the_channel_schedule(installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    _, key = await send.command(ADA, "daily 09:30 Europe/Berlin mon-fri")
    await fake.wait_until(lambda: bool(fake.responses_to(key)))
    response = await send.event(send.event_body("T1", home_opened(ALICE.id)))
    assert response.status == 200
    await fake.wait_until(lambda: bool(fake.to("views.publish")))
    [publish] = fake.to("views.publish")
    assert publish.args["user_id"] == ALICE.id
    view = publish.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    shown = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home" and "📊 Alice" in shown
    assert "#quiz-c1" in shown and "09:30 Europe/Berlin, mon-fri" in shown


async def test_a_retried_event_is_handled_once(installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    body = send.event_body("T1", home_opened(ALICE.id))
    assert (await send.event(body)).status == 200
    assert (await send.event(body, retry=1)).status == 200
    assert (await send.event(body, retry=2)).status == 200
    await fake.wait_until(lambda: bool(fake.to("views.publish")))
    # A later, different event is handled: so the retries had their chance and were dropped.
    assert (await send.event(send.event_body("T1", home_opened(ADA.id)))).status == 200
    await fake.wait_until(lambda: len(fake.to("views.publish")) == 2)
    assert [c.args["user_id"] for c in fake.to("views.publish")] == [ALICE.id, ADA.id]


async def test_uninstalling_stops_the_schedules_and_marks_the_workspace(
        installed: SlackRig, clock: FrozenClock) -> None:
    fake, send, deps = installed.fake, installed.send, installed.deps
    _, key = await send.command(ADA, "daily 09:00 UTC mon-fri")
    await fake.wait_until(lambda: bool(fake.responses_to(key)))
    event = {"type": "app_uninstalled", "event_ts": "1800000000.000200"}
    assert (await send.event(send.event_body("T1", event))).status == 200
    await _left(installed)
    async with deps.uow() as uow:
        acme = await uow.workspaces.find("slack", "T1")
    assert acme is not None and not acme.active
    assert await installed.platform.app.tokens.bot_token("T1") is None

    clock.advance(timedelta(minutes=1))
    assert (await run_due(deps)).questions == []
    assert fake.to("chat.postMessage") == []

    # Installing again brings the workspace and its schedule back.
    assert (await send.install("T1")).status == 200
    clock.advance(timedelta(days=3))  # Monday 09:01
    assert len((await run_due(deps)).questions) == 1


async def test_revoked_bot_tokens_stop_the_workspace_too(installed: SlackRig) -> None:
    send = installed.send
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT"]}}
    assert (await send.event(send.event_body("T1", event))).status == 200
    await _left(installed)
    assert await installed.platform.app.tokens.bot_token("T1") is None


async def _left(rig: SlackRig) -> None:
    """Wait until the uninstall has been processed after the ack."""
    for _ in range(200):
        async with rig.deps.uow() as uow:
            workspace = await uow.workspaces.find("slack", "T1")
        if workspace is not None and not workspace.active:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the workspace was never marked as gone")
