"""Scheduled posts on Discord: rate limits waited out, refused channels paused, guilds leaving."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import discord
import pytest

from bot.adapters.clock import FrozenClock
from bot.adapters.runtime import Runtime
from bot.domain.channel import Target
from bot.domain.commands import Period
from bot.domain.ports import PostKey
from bot.domain.views import BoardView
from bot.platforms.discord_bot.client import use_api_url
from bot.platforms.discord_bot.poster import BUCKETS_KEPT, DiscordPoster
from bot.services.due import run_due
from tests.platforms.discord.chat import DiscordChat, text_of
from tests.platforms.discord.fake_api import DiscordLimits, FakeDiscord
from tests.platforms.discord.gateway import Person, Place

NINE_AM = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
FIVE_PM = datetime(2027, 3, 26, 17, 0, tzinfo=UTC)


async def _schedule(chat: DiscordChat, place: Place, admin: Person) -> None:
    await chat.join(place, owner=admin)
    await chat.slash(place, admin, "daily", time="09:00", zone="UTC", days="daily")
    await chat.slash(place, admin, "weekly", day="off")


async def test_a_rate_limited_post_is_retried_and_posted_once(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, clock: FrozenClock,
        place: Place, admin: Person) -> None:
    await _schedule(chat, place, admin)
    path = f"channels/{place.channel}/messages"
    api.rate_limit("POST", path)
    clock.set(NINE_AM)
    [question] = (await run_due(runtime.deps)).questions
    assert len(api.to("POST", path)) == 2, "a 429, then the post discord.py retried"
    [posted] = [m for m in api.messages.values() if m["channel_id"] == place.channel]
    clock.set(FIVE_PM)
    await run_due(runtime.deps)
    [edit] = api.to("PATCH", f"{path}/{posted['id']}")
    assert question.text in text_of(edit.body), "the retried post is the one revealed"


async def test_a_channel_the_bot_may_not_post_in_pauses_its_schedule_with_a_log_line(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, clock: FrozenClock,
        place: Place, admin: Person, caplog: pytest.LogCaptureFixture) -> None:
    await _schedule(chat, place, admin)
    api.fail("POST", f"channels/{place.channel}/messages", 403,
             {"message": "Missing Access", "code": 50001})
    clock.set(NINE_AM)
    with caplog.at_level(logging.WARNING):
        await run_due(runtime.deps)
    assert "Missing Access" in caplog.text and "disabling channel" in caplog.text
    settings = await chat.slash(place, admin, "settings")
    assert "⚠️ Paused: Discord answered 403 (Missing Access)" in text_of(settings)


async def test_a_deleted_question_message_gets_its_reveal_posted_anew(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, clock: FrozenClock,
        place: Place, admin: Person) -> None:
    await _schedule(chat, place, admin)
    clock.set(NINE_AM)
    await run_due(runtime.deps)
    api.messages.clear()  # someone deleted the question
    clock.set(FIVE_PM)
    [reveal] = (await run_due(runtime.deps)).reveals
    posts = api.to("POST", f"channels/{place.channel}/messages")
    assert len(posts) == 2 and "— revealed" in text_of(posts[-1].body)
    assert reveal.explanation in text_of(posts[-1].body)


async def test_a_guild_that_removes_the_bot_gets_no_more_questions(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, clock: FrozenClock,
        place: Place, admin: Person) -> None:
    await _schedule(chat, place, admin)
    await chat.leave(place)
    async with runtime.deps.uow() as uow:
        workspace = await uow.workspaces.find("discord", place.guild)
    assert workspace is not None and not workspace.active
    clock.set(NINE_AM)
    assert (await run_due(runtime.deps)).questions == []
    assert api.to("POST", "channels/") == []


async def test_adding_the_bot_again_brings_the_schedule_back(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, clock: FrozenClock,
        place: Place, admin: Person) -> None:
    await _schedule(chat, place, admin)
    await chat.leave(place)
    await chat.join(place, owner=admin)
    clock.set(NINE_AM)
    [question] = (await run_due(runtime.deps)).questions
    [post] = api.to("POST", f"channels/{place.channel}/messages")
    assert question.text in text_of(post.body)


async def test_a_second_try_of_a_post_returns_the_first_message_instead_of_a_copy(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, clock: FrozenClock,
        place: Place, admin: Person) -> None:
    await _schedule(chat, place, admin)
    clock.set(NINE_AM)
    [question] = (await run_due(runtime.deps)).questions
    target = Target("discord", place.guild, place.channel)
    # A worker died after Discord took the post but before it stored the reference: the
    # next try names the same post, and Discord answers with the message it already has.
    again = await runtime.router.post_question(target, question,
                                               PostKey(f"question:{question.round_id}", True))
    posted = [m for m in api.messages.values() if m["channel_id"] == place.channel]
    assert len(posted) == 1 and again == posted[0]["id"]


async def test_posting_to_many_channels_keeps_few_rate_limit_buckets() -> None:
    limited = FakeDiscord(DiscordLimits(global_rate=10_000, global_burst=10_000))
    await limited.start()
    use_api_url(limited.url)
    client = discord.Client(intents=discord.Intents.none())
    await client.login("test-token")
    try:
        poster = DiscordPoster(client, requests_per_second=1000)
        for n in range(300):
            await poster.post_board(Target("discord", "1", str(10_000 + n)),
                                    BoardView(Period.WEEK, False, [], (2027, 12)))
        assert len(limited.messages) == 300
        assert len(client.http._buckets) < BUCKETS_KEPT + 1
    finally:
        await client.close()
        await limited.close()
