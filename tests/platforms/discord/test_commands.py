"""/quiz on Discord: typed subcommands, admin checks, private replies, autocomplete, deferral."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from bot.adapters.runtime import Runtime
from bot.platforms.discord_bot.platform import DiscordPlatform
from tests.platforms.discord import gateway
from tests.platforms.discord.chat import DiscordChat, custom_ids, is_private, text_of
from tests.platforms.discord.conftest import discord_settings
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.discord.gateway import EVERYONE, MANAGE_GUILD, Person, Place, snowflake

DESIGN_COMMANDS = {"now", "me", "review", "exam", "leaderboard", "stats", "topics", "help",
                   "settings", "daily", "weekly", "window", "only"}


def _registered(api: FakeDiscord, path: str) -> list[dict[str, Any]]:
    [put] = api.to("PUT", path)
    commands: list[dict[str, Any]] = put.body
    return commands


async def test_every_command_of_the_design_is_a_guild_only_subcommand_of_quiz(
        chat: DiscordChat, api: FakeDiscord) -> None:
    [quiz] = _registered(api, "applications/")
    assert quiz["name"] == "quiz" and quiz["contexts"] == [0]
    assert {option["name"] for option in quiz["options"]} == DESIGN_COMMANDS
    daily = next(o for o in quiz["options"] if o["name"] == "daily")
    assert [(o["name"], o["required"]) for o in daily["options"]] == [
        ("time", True), ("zone", False), ("days", False)]


async def test_commands_are_synced_again_only_when_their_definitions_changed(
        chat: DiscordChat, api: FakeDiscord) -> None:
    await chat.restart()
    assert len(api.to("PUT", "applications/")) == 1
    api.commands[None][0]["options"].pop()  # Discord has an older definition than the code
    await chat.restart()
    assert len(api.to("PUT", "applications/")) == 2


async def test_with_a_dev_guild_commands_go_to_that_guild_only(
        runtime: Runtime, api: FakeDiscord) -> None:
    guild = snowflake()
    runtime.settings = discord_settings(api, discord_dev_guild=int(guild))
    platform = DiscordPlatform(runtime)
    await platform.open()
    await platform.stop()
    assert [c["name"] for c in _registered(api, f"applications/{api.application()['id']}/"
                                                f"guilds/{guild}/commands")] == ["quiz"]
    assert api.to("PUT", f"applications/{api.application()['id']}/commands") == []


async def test_a_member_without_manage_server_cannot_change_the_schedule(
        chat: DiscordChat, place: Place) -> None:
    bob = Person(snowflake(), "Bob")
    reply = await chat.slash(place, bob, "daily", time="09:00")
    assert "Only members with the Manage Server permission" in text_of(reply)
    assert is_private(reply)
    settings = await chat.slash(place, bob, "settings")
    assert "Daily question: off" in text_of(settings)


async def test_a_wrong_option_gets_a_private_hint_of_the_right_form(
        chat: DiscordChat, place: Place, admin: Person) -> None:
    reply = await chat.slash(place, admin, "window", length="5s")
    assert "`5s` is not a duration like 8h, 90m or 1h30m." in text_of(reply)
    assert is_private(reply)


async def test_a_pop_quiz_goes_to_the_channel_and_the_asker_hears_privately(
        chat: DiscordChat, api: FakeDiscord, place: Place) -> None:
    alice = Person(snowflake(), "Alice")
    reply = await chat.slash(place, alice, "now")
    assert "Pop quiz posted; it closes at 09:09." in text_of(reply) and is_private(reply)
    [post] = await api.wait_for(lambda: api.to("POST", f"channels/{place.channel}/messages"))
    assert "⚡ Pop quiz" in text_of(post.body)
    message = next(m for m in api.messages.values() if m["channel_id"] == place.channel)
    clicked = await chat.click(place, alice, message, custom_ids(message)[0])
    assert "is in — reveal at 09:09 (UTC)" in text_of(clicked)


async def test_practice_is_private_and_a_choose_two_question_takes_two_in_a_select(
        chat: DiscordChat, place: Place) -> None:
    alice = Person(snowflake(), "Alice")
    for _ in range(2):  # lambda has a one-answer and a choose-two question; unseen comes first
        reply = await chat.slash(place, alice, "me", topic="lambda")
        assert is_private(reply)
        if "Choose two." in text_of(reply):
            break
        await chat.click(place, alice, reply, custom_ids(reply)[0])
    [select] = reply["components"][0]["components"]
    assert (select["type"], select["min_values"], select["max_values"]) == (3, 2, 2)
    verdict = await chat.pick(place, alice, reply, select["custom_id"], ["A", "B"])
    assert is_private(verdict)
    assert ("✅ Right!" in text_of(verdict)) or ("❌ Not quite" in text_of(verdict))
    assert "Because of lambda-multi." in text_of(verdict)


async def test_stats_help_topics_and_boards_come_back_as_private_embeds(
        chat: DiscordChat, place: Place, admin: Person) -> None:
    alice = Person(snowflake(), "Alice")
    await chat.slash(place, alice, "topics")
    stats = await chat.slash(place, admin, "stats", user=alice)
    assert "📊 Alice: 0 answered" in text_of(stats)
    help_text = text_of(await chat.slash(place, alice, "help"))
    assert "/quiz daily 09:30 Europe/Berlin mon-fri" in help_text
    topics = await chat.slash(place, alice, "topics")
    assert "DynamoDB (2)" in text_of(topics) and topics["embeds"]
    board = await chat.slash(place, alice, "leaderboard", period="all", squads=True)
    assert "Squads (points per active member) — all time" in text_of(board)
    assert all(is_private(r) for r in (stats, topics, board))


async def test_topics_and_time_zones_are_suggested_while_typing(
        chat: DiscordChat, place: Place, admin: Person) -> None:
    topics = await chat.suggest(place, admin, "me", "topic", "dyn")
    assert topics == [{"name": "DynamoDB (2)", "value": "dynamodb"}]
    listed = await chat.suggest(place, admin, "only", "topics", "dynamodb,la")
    assert listed == [{"name": "Lambda (2)", "value": "dynamodb,lambda"}]
    zones = await chat.suggest(place, admin, "daily", "zone", "berl")
    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in zones


async def test_a_slow_answer_is_deferred_then_sent_as_a_follow_up(
        chat: DiscordChat, api: FakeDiscord, place: Place) -> None:
    chat.client.reply_deadline = 0  # as if the database took longer than Discord waits
    reply = await chat.slash(place, Person(snowflake(), "Alice"), "settings")
    [deferral] = [c for c in api.to("POST", "interactions/") if c.body["type"] == 5]
    assert deferral.body["data"]["flags"] == 64, "deferred privately, as the answer will be"
    assert reply["how"] == "followup" and "⚙️ Settings for #quiz" in text_of(reply)


async def test_a_slow_admin_command_that_fails_tells_only_the_admin(
        chat: DiscordChat, api: FakeDiscord, place: Place) -> None:
    chat.client.reply_deadline = 0
    admin = Person(snowflake(), "Ada", EVERYONE | MANAGE_GUILD)
    await chat.slash(place, admin, "only", topics="nonsense")
    [deferral] = [c for c in api.to("POST", "interactions/") if c.body["type"] == 5]
    assert deferral.body["data"]["flags"] == 64  # the follow-up keeps the deferral's privacy
    followups = [c.body for c in api.to("POST", "webhooks/")]
    assert followups and all(is_private(body) for body in followups)
    assert "I don't know the topic nonsense" in text_of(followups[-1])


async def test_a_slow_admin_command_that_works_is_announced_to_the_channel(
        chat: DiscordChat, api: FakeDiscord, place: Place) -> None:
    chat.client.reply_deadline = 0
    admin = Person(snowflake(), "Ada", EVERYONE | MANAGE_GUILD)
    await chat.slash(place, admin, "window", length="2h")
    await api.wait_for(lambda: len(api.to("POST", "webhooks/")) == 2)
    note, news = (c.body for c in api.to("POST", "webhooks/"))
    assert is_private(note) and not is_private(news)
    assert "Daily questions now stay open for 2h" in text_of(news)



async def test_an_interaction_delivered_twice_runs_once(
        chat: DiscordChat, api: FakeDiscord, place: Place, runtime: Runtime) -> None:
    payload = gateway.interaction(2, place, Person(snowflake(), "Ann"), gateway.command("me"))
    gateway.feed(chat.client, "INTERACTION_CREATE", payload)
    await api.reply_to(payload["token"])
    gateway.feed(chat.client, "INTERACTION_CREATE", payload)  # a resumed gateway replays it
    await gateway.settle()
    async with runtime.engine.connect() as db:
        practice = await db.scalar(text("SELECT count(*) FROM rounds WHERE kind = 'practice'"))
    assert practice == 1
    assert len(api.to("POST", f"interactions/{payload['id']}")) == 1
