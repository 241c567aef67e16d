"""Only Slack, signed and on time, gets in; buttons are checked against the database."""

from __future__ import annotations

from tests.platforms.slack.conftest import ALICE, MALLORY, SlackRig
from tests.platforms.slack.deliveries import question_in


async def test_a_bad_signature_gets_401_and_changes_nothing(installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    body, key = send.command_body(ALICE, "now")
    response = await send.post(body, "application/x-www-form-urlencoded",
                               headers={"X-Slack-Signature": "v0=" + "0" * 64})
    assert response.status == 401

    # The same request, signed properly, posts once: had the forged one got in, there would
    # be two posts and two replies by the time this one's reply has arrived.
    assert (await send.post(body, "application/x-www-form-urlencoded")).status == 200
    await fake.wait_until(lambda: bool(fake.responses_to(key)))
    await fake.wait_until(lambda: bool(fake.to("chat.postMessage")))
    assert len(fake.to("chat.postMessage")) == 1 and len(fake.responses_to(key)) == 1


async def test_a_request_older_than_five_minutes_gets_401(installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    response, key = await send.command(ALICE, "now", age=301)
    assert response.status == 401

    # A fresh request posts once; the stale one added nothing before it.
    fresh, fresh_key = await send.command(ALICE, "now")
    assert fresh.status == 200
    await fake.wait_until(lambda: bool(fake.responses_to(fresh_key)))
    await fake.wait_until(lambda: bool(fake.to("chat.postMessage")))
    assert len(fake.to("chat.postMessage")) == 1 and fake.responses_to(key) == []


async def test_a_forged_button_from_another_workspace_scores_nothing(
        installed: SlackRig) -> None:
    fake, send, deps = installed.fake, installed.send, installed.deps
    assert (await send.install("T2")).status == 200
    await send.command(ALICE, "now")
    await fake.wait_until(lambda: bool(fake.to("chat.postMessage")))
    question = question_in(fake.to("chat.postMessage")[0].args["blocks"])

    # Mallory, in workspace T2, sends a click carrying T1's round id.
    _, forged = await send.click(MALLORY, question, "A", channel="C9")
    await fake.wait_until(lambda: bool(fake.responses_to(forged)))
    [reply] = fake.responses_to(forged)
    assert reply["response_type"] == "ephemeral"
    assert "isn't from this workspace" in reply["text"]
    async with deps.uow() as uow:
        assert await uow.answers.for_round(question.round_id) == []


async def test_a_button_value_that_is_not_a_round_is_refused_politely(
        installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    _, key = await send.command(ALICE, "me")
    await fake.wait_until(lambda: bool(fake.responses_to(key)))
    question = question_in(fake.responses_to(key)[0]["blocks"])
    _, click = await send.click(ALICE, question, "A", value="drop table;A")
    await fake.wait_until(lambda: bool(fake.responses_to(click)))
    assert "scores nothing" in fake.responses_to(click)[0]["text"]


async def test_a_retried_slash_command_posts_one_pop_quiz(installed: SlackRig) -> None:
    fake, send, deps = installed.fake, installed.send, installed.deps
    body, key = send.command_body(ALICE, "now")
    await send.post(body, "application/x-www-form-urlencoded")
    await send.post(body, "application/x-www-form-urlencoded", retry=1)
    # Listeners commit before Slack gets its 200, so both requests' effects are stored by now:
    # one open round, hence one outbox row and one post.
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find("slack", "T1")
        assert workspace is not None
        [channel] = await uow.channels.in_workspace(workspace.id)
        assert len(await uow.rounds.open_in_channel(channel.id, deps.clock.now())) == 1
    await fake.wait_until(lambda: bool(fake.responses_to(key)))
    await fake.wait_until(lambda: bool(fake.to("chat.postMessage")))
    assert len(fake.to("chat.postMessage")) == 1
    assert len(fake.responses_to(key)) == 1
    assert "Pop quiz posted" in fake.responses_to(key)[0]["text"]
