"""From install to weekly board: the real AsyncApp, signed requests, a fake Slack Web API."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.adapters.clock import FrozenClock
from bot.services.due import run_due
from tests.platforms.slack.conftest import ADA, ALICE, BOB, CAROL, SlackRig
from tests.platforms.slack.deliveries import question_in
from tests.platforms.slack.fake_slack import bot_token
from tests.sample import right_letters, wrong_letters


def texts_of(blocks: list[dict]) -> str:  # type: ignore[type-arg]
    """Every text in a list of blocks, for assertions on what people see."""
    return json.dumps(blocks, ensure_ascii=False)


async def test_install_schedule_post_click_reveal_and_weekly_board(
        rig: SlackRig, clock: FrozenClock) -> None:
    fake, send = rig.fake, rig.send

    # OAuth install: Slack's redirect brings a code; the bot token lands in our database.
    finished = await send.install("T1")
    assert finished.status == 200
    assert [c.args["code"] for c in fake.to("oauth.v2.access")] == ["code-T1"]
    async with rig.deps.uow() as uow:
        acme = await uow.workspaces.find("slack", "T1")
    assert acme is not None and acme.active and acme.name == "Acme"

    # An admin sets the daily question (Friday 26 March 2027, 08:59 UTC now).
    response, key = await send.command(ADA, "daily 09:00 UTC mon-fri")
    assert response.status == 200
    await fake.wait_until(lambda: bool(fake.responses_to(key)))
    [reply] = fake.responses_to(key)
    assert reply["response_type"] == "in_channel"
    assert reply["text"].startswith("Daily question set: 09:00 UTC, mon-fri")
    assert fake.to("users.info")[0].token == bot_token("T1")

    # The scheduler fires: one question, posted with buttons by the installed bot.
    clock.advance(timedelta(minutes=1))
    [question] = (await run_due(rig.deps)).questions
    [post] = fake.to("chat.postMessage")
    assert post.token == bot_token("T1") and post.args["channel"] == "C1"
    assert question.text in texts_of(post.args["blocks"])
    assert f"{question.round_id}:" in texts_of(post.args["blocks"])
    question_ts = f"{1_800_000_001}.000100"

    # Three members click: Alice twice, Carol's click delivered twice by Slack.
    _, alice_first = await send.click(ALICE, question, right_letters(question))
    await fake.wait_until(lambda: bool(fake.responses_to(alice_first)))
    _, alice_again = await send.click(ALICE, question, wrong_letters(question))
    _, bob_key = await send.click(BOB, question, wrong_letters(question))
    carol_body, carol_key = send.click_body(CAROL, question, right_letters(question))
    first = await send.post(carol_body, "application/x-www-form-urlencoded")
    retried = await send.post(carol_body, "application/x-www-form-urlencoded", retry=1)
    assert first.status == retried.status == 200
    await fake.wait_until(lambda: all(fake.responses_to(k)
                                      for k in (alice_again, bob_key, carol_key)))
    assert "is in — reveal at 17:00" in fake.responses_to(alice_first)[0]["text"]
    assert "already answered" in fake.responses_to(alice_again)[0]["text"]
    assert len(fake.responses_to(carol_key)) == 1
    clicks = (alice_first, alice_again, bob_key, carol_key)
    assert all(fake.responses_to(k)[0]["response_type"] == "ephemeral" for k in clicks)

    # The window closes at 17:00, after Friday's 16:00 board time: reveal, then the board.
    clock.advance(timedelta(hours=8))
    due = await run_due(rig.deps)
    [reveal] = due.reveals
    assert reveal.answers == 3 and sorted(w.name for w in reveal.winners) == ["Alice", "Carol"]
    [update] = fake.to("chat.update")
    assert update.args["ts"] == question_ts and update.args["channel"] == "C1"
    shown = texts_of(update.args["blocks"])
    assert "Right (2 of 3)" in shown and "*Alice* (+10)" in shown and "*Carol* (+10)" in shown
    assert question.topic_title in shown and reveal.explanation in shown
    votes = dict(reveal.votes)
    assert sum(votes.values()) == 3 * question.pick
    for letter in right_letters(question):
        assert votes[letter] >= 2

    [_, board] = fake.to("chat.postMessage")
    board_text = texts_of(board.args["blocks"])
    assert "Leaderboard" in board_text and "week 2027-W12" in board_text
    assert "🥇 *Alice* — 10 pts" in board_text and "🥇 *Carol* — 10 pts" in board_text
    assert "Bob" not in board_text


async def test_a_practice_question_is_private_and_answered_in_place(
        installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    _, key = await send.command(ALICE, "me dynamodb")
    await fake.wait_until(lambda: bool(fake.responses_to(key)))
    [shown] = fake.responses_to(key)
    assert shown["response_type"] == "ephemeral"
    assert "🎯 Practice · DynamoDB" in texts_of(shown["blocks"])
    assert fake.to("chat.postMessage") == []

    view = question_in(shown["blocks"])
    _, click = await send.click(ALICE, view, right_letters(view), ephemeral=True)
    await fake.wait_until(lambda: bool(fake.responses_to(click)))
    [verdict] = fake.responses_to(click)
    assert verdict["replace_original"] is True
    assert "✅ Right!" in verdict["text"] and "+1 point" in verdict["text"]
