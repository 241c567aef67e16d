"""One guild's week on Discord, end to end: join, schedule, post, clicks, restart, reveal, board."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.clock import FrozenClock
from bot.adapters.runtime import Runtime
from bot.services.due import run_due
from tests.platforms.discord.chat import DiscordChat, custom_ids, is_private, text_of
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.discord.gateway import Person, Place, snowflake
from tests.sample import right_letters, wrong_letters


async def test_a_daily_question_takes_clicks_across_a_restart_and_is_revealed_and_ranked(
        chat: DiscordChat, api: FakeDiscord, runtime: Runtime, clock: FrozenClock,
        place: Place, admin: Person) -> None:
    alice, bob, carol = (Person(snowflake(), name) for name in ("Alice", "Bob", "Carol"))

    await chat.join(place, owner=admin)
    async with runtime.deps.uow() as uow:
        workspace = await uow.workspaces.find("discord", place.guild)
    assert workspace is not None and workspace.active and workspace.name == "AWS Study Group"

    reply = await chat.slash(place, admin, "daily", time="09:00", zone="UTC", days="daily")
    assert "Daily question set: 09:00 UTC, every day" in text_of(reply)
    assert not is_private(reply), "the channel sees its new schedule"
    await chat.slash(place, admin, "weekly", day="fri", time="17:30")
    await chat.slash(place, admin, "only", topics="dynamodb")  # one-answer questions: buttons

    clock.set(datetime(2027, 3, 26, 9, 0, tzinfo=UTC))  # the scheduler fires on Friday 09:00
    [question] = (await run_due(runtime.deps)).questions
    [post] = api.to("POST", f"channels/{place.channel}/messages")
    message = next(m for m in api.messages.values() if m["channel_id"] == place.channel)
    assert question.text in text_of(post.body) and "reveal at 09:00" not in text_of(post.body)
    assert "reveal at 17:00 (UTC)" in text_of(post.body)
    button = {letter: f"quiz:{question.round_id}:{letter}" for letter in question.letters}
    assert custom_ids(message) == list(button.values())
    right, wrong = right_letters(question), wrong_letters(question)

    reply = await chat.click(place, alice, message, button[right])
    assert f"Your answer {right} is in — reveal at 17:00 (UTC)" in text_of(reply)
    assert is_private(reply)
    await chat.click(place, bob, message, button[wrong])
    reply = await chat.click(place, bob, message, button[right])
    assert f"You already answered {wrong}; the first answer counts." in text_of(reply)
    assert is_private(reply)

    await chat.restart()
    assert len(api.to("PUT", "applications/")) == 1, "unchanged commands are not synced again"
    reply = await chat.click(place, carol, message, button[right])
    assert f"Your answer {right} is in" in text_of(reply)

    clock.set(datetime(2027, 3, 26, 17, 0, tzinfo=UTC))
    [reveal] = (await run_due(runtime.deps)).reveals
    [edit] = api.to("PATCH", f"channels/{place.channel}/messages/{message['id']}")
    shown = text_of(edit.body)
    assert "revealed" in shown and reveal.explanation in shown
    assert "Votes (3)" in shown and "Right: 2 of 3" in shown
    votes = dict(reveal.votes)
    assert (votes[right], votes[wrong]) == (2, 1)
    assert f"{right} {'█' * 7}{'·' * 3} 2 ✓" in shown and f"{wrong} {'█' * 3}{'·' * 7} 1" in shown
    assert "Alice +10" in shown and "Carol +10" in shown and "Bob" not in shown
    [[report]] = [row["components"] for row in edit.body["components"]]
    assert report["label"] == "Report a problem", "the answer buttons go when it is out"

    clock.set(datetime(2027, 3, 26, 17, 30, tzinfo=UTC))
    [board] = (await run_due(runtime.deps)).boards
    posts = api.to("POST", f"channels/{place.channel}/messages")
    assert len(posts) == 2
    posted = text_of(posts[-1].body)
    assert "Leaderboard — week 2027-W12" in posted
    assert "🥇 Alice — 10 pts" in posted and "🥇 Carol — 10 pts" in posted
    assert [row.name for row in board.rows] == ["Alice", "Carol"]
    assert posts[-1].body["uploaded"] == ["board.png"]  # a chart beside the text
