"""Answer buttons never trust their custom_id: guild, round and member are checked every time."""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.clock import FrozenClock
from bot.adapters.runtime import Runtime
from tests.platforms.discord import gateway
from tests.platforms.discord.chat import DiscordChat, custom_ids, is_private, text_of
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.discord.gateway import Person, Place, snowflake


async def _pop_quiz(chat: DiscordChat, api: FakeDiscord, place: Place) -> dict[str, object]:
    await chat.slash(place, Person(snowflake(), "Quizmaster"), "now")
    posted: dict[str, object] = await api.wait_for(lambda: next(
        (m for m in api.messages.values() if m["channel_id"] == place.channel), None))
    return posted


async def test_a_custom_id_naming_another_guilds_round_scores_nothing(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, place: Place) -> None:
    theirs = await _pop_quiz(chat, api, place)
    elsewhere = Place(guild=snowflake(), channel=snowflake(), guild_name="Other guild")
    forged = {**theirs, "channel_id": elsewhere.channel}  # a message in our guild, their id
    mallory = Person(snowflake(), "Mallory")
    await _pop_quiz(chat, api, elsewhere)  # the other guild is set up for real, with a round
    reply = await chat.click(elsewhere, mallory, forged, custom_ids(theirs)[0])
    assert "That question isn't from this workspace" in text_of(reply)
    assert is_private(reply)
    round_id = int(custom_ids(theirs)[0].split(":")[1])
    async with runtime.deps.uow() as uow:
        assert await uow.answers.for_round(round_id) == []


async def test_a_click_after_the_window_closed_is_turned_away_kindly(
        chat: DiscordChat, api: FakeDiscord, clock: FrozenClock, place: Place) -> None:
    message = await _pop_quiz(chat, api, place)
    clock.advance(timedelta(minutes=11))
    reply = await chat.click(place, Person(snowflake(), "Late"), message, custom_ids(message)[1])
    assert "This question closed at 09:09" in text_of(reply) and is_private(reply)


async def test_someone_elses_practice_question_cannot_be_answered(
        chat: DiscordChat, place: Place) -> None:
    alice, bob = Person(snowflake(), "Alice"), Person(snowflake(), "Bob")
    practice = await chat.slash(place, alice, "me", topic="dynamodb")
    reply = await chat.click(place, bob, practice, custom_ids(practice)[0])
    assert "That practice question is someone else's." in text_of(reply)


async def test_a_round_id_too_long_for_the_database_matches_no_button(
        chat: DiscordChat, api: FakeDiscord, place: Place) -> None:
    message = await _pop_quiz(chat, api, place)
    forged_id = "quiz:99999999999:A"
    forged = {**message, "components": [{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "A", "custom_id": forged_id}]}]}
    before = len(api.calls)
    gateway.feed(chat.client, "INTERACTION_CREATE", gateway.interaction(
        3, place, Person(snowflake(), "Eve"), gateway.button(forged_id), forged))
    await gateway.settle()
    assert len(api.calls) == before, "no answer button took it, so nothing reached the services"
