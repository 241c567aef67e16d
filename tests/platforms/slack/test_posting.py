"""SlackPoster: rate limits waited out, nothing dropped, gone channels stop their schedule."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.channel import Target
from bot.domain.commands import Period
from bot.domain.ports import PostKey, RateLimited
from bot.domain.views import BoardView
from bot.platforms.slack_app.app import web_client
from bot.platforms.slack_app.poster import FixedToken, SlackPoster
from bot.services.due import run_due
from tests.platforms.slack.conftest import ADA, ALICE, SlackRig, slack_settings
from tests.platforms.slack.fake_slack import FakeSlack, bot_token

EMPTY_BOARD = BoardView(Period.WEEK, False, [], (2027, 12))


async def schedule_daily(rig: SlackRig) -> None:
    _, key = await rig.send.command(ADA, "daily 09:00 UTC mon-fri")
    await rig.fake.wait_until(lambda: bool(rig.fake.responses_to(key)))


async def test_a_429_is_waited_out_for_retry_after_and_the_post_still_goes_out(
        installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    fake.throttle("chat.postMessage", retry_after=1)
    started = time.monotonic()
    _, key = await send.command(ALICE, "now")
    await fake.wait_until(lambda: len(fake.to("chat.postMessage")) == 2)
    first, second = fake.to("chat.postMessage")
    assert second.at - first.at >= 1.0
    assert time.monotonic() - started >= 1.0
    assert "Pop quiz posted" in fake.responses_to(key)[0]["text"]


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived",
                                   "restricted_action"])
async def test_a_channel_slack_refuses_has_its_schedule_disabled_with_a_log_line(
        installed: SlackRig, clock: FrozenClock, caplog: pytest.LogCaptureFixture,
        error: str) -> None:
    await schedule_daily(installed)
    installed.fake.gone_channels["C1"] = error
    clock.advance(timedelta(minutes=1))
    with caplog.at_level(logging.WARNING):
        await run_due(installed.deps)
    assert f"Slack said {error} for channel C1" in caplog.text
    assert len(installed.fake.to("chat.postMessage")) == 1  # tried once, not forever

    clock.advance(timedelta(days=3))  # Monday: no new question, and no reveal of one unseen
    await run_due(installed.deps)
    clock.advance(timedelta(days=1))
    await run_due(installed.deps)
    assert len(installed.fake.to("chat.postMessage")) == 1
    _, key = await installed.send.command(ALICE, "settings")
    await installed.fake.wait_until(lambda: bool(installed.fake.responses_to(key)))
    assert "Paused" in installed.fake.responses_to(key)[0]["text"]


async def test_posts_to_one_channel_are_spaced_and_other_channels_do_not_wait(
        fake_slack: FakeSlack) -> None:
    client = web_client(slack_settings(fake_slack))
    poster = SlackPoster(client, FixedToken(bot_token("T1")), spacing=0.3)
    for channel in ("C1", "C1", "C2"):
        await poster.post_board(Target("slack", "T1", channel), EMPTY_BOARD)
    one, two, other = fake_slack.to("chat.postMessage")
    assert two.at - one.at >= 0.3
    assert other.at - two.at < 0.3
    assert all(c.token == bot_token("T1") for c in (one, two, other))


async def test_the_pacing_forgets_a_channel_once_its_spacing_has_passed(
        fake_slack: FakeSlack) -> None:
    client = web_client(slack_settings(fake_slack))
    poster = SlackPoster(client, FixedToken(bot_token("T1")), spacing=0.05,
                         workspace_spacing=0.0)
    for n in range(20):
        await poster.post_board(Target("slack", "T1", f"C{n}"), EMPTY_BOARD)
    assert poster.paced_channels <= 20
    await asyncio.sleep(0.1)
    await poster.post_board(Target("slack", "T1", "C99"), EMPTY_BOARD)
    assert poster.paced_channels == 1


async def test_posts_to_one_workspace_are_spaced_by_its_rate_and_other_workspaces_do_not_wait(
        fake_slack: FakeSlack) -> None:
    client = web_client(slack_settings(fake_slack))
    poster = SlackPoster(client, FixedTeamTokens(), spacing=0.0, workspace_spacing=0.2)
    targets = [Target("slack", "T1", "C1"), Target("slack", "T1", "C2"),
               Target("slack", "T2", "C3")]
    await asyncio.gather(*(poster.post_board(t, EMPTY_BOARD) for t in targets))
    at = {c.args["channel"]: c.at for c in fake_slack.to("chat.postMessage")}
    # Spaced where they are sent; where they arrive, the first can be a few ms late (its
    # connection is opened first), so the gap seen here may be that much shorter.
    assert abs(at["C2"] - at["C1"]) >= 0.2 - 0.02
    assert abs(at["C3"] - at["C1"]) < 0.2 - 0.02


async def test_a_poster_whose_caller_paces_the_workspaces_hands_a_429_back_counted(
        fake_slack: FakeSlack) -> None:
    limited: list[int] = []
    client = web_client(slack_settings(fake_slack), on_limited=lambda: limited.append(1))
    poster = SlackPoster(client, FixedToken(bot_token("T1")), spacing=0, workspace_spacing=0)
    fake_slack.throttle("chat.postMessage", retry_after=2)
    with pytest.raises(RateLimited) as refused:
        await poster.post_board(Target("slack", "T1", "C1"), EMPTY_BOARD)
    assert refused.value.retry_after == 2
    assert len(fake_slack.to("chat.postMessage")) == 1, "not tried again in the call"
    assert limited == [1]


class FixedTeamTokens:
    """Each fake team's own bot token."""

    async def bot_token(self, team_id: str) -> str | None:
        return bot_token(team_id)


async def test_a_board_is_posted_and_its_message_reference_returned(
        fake_slack: FakeSlack) -> None:
    client = web_client(slack_settings(fake_slack))
    poster = SlackPoster(client, FixedToken(bot_token("T1")), spacing=0)
    ref = await poster.post_board(Target("slack", "T1", "C1"), EMPTY_BOARD)
    assert ref is not None and ref.endswith(".000100")
    [post] = fake_slack.to("chat.postMessage")
    assert "No points yet" in post.args["text"]


async def test_a_reveal_whose_question_was_deleted_is_posted_anew(
        installed: SlackRig, clock: FrozenClock) -> None:
    await schedule_daily(installed)
    clock.advance(timedelta(minutes=1))
    [posted] = (await run_due(installed.deps)).questions
    async with installed.deps.uow() as uow:
        round_ = await uow.rounds.get(posted.round_id)
    assert round_ is not None and round_.message_ref is not None
    installed.fake.deleted_messages.add(round_.message_ref)  # someone deleted the question
    clock.advance(timedelta(hours=8))
    [reveal] = (await run_due(installed.deps)).reveals
    assert reveal.answers == 0
    assert len(installed.fake.to("chat.update")) == 1
    reveals = [p for p in installed.fake.to("chat.postMessage")
               if "revealed" in str(p.args["text"])]
    assert len(reveals) == 1


async def test_a_token_slack_no_longer_accepts_retires_the_workspace(
        installed: SlackRig, clock: FrozenClock) -> None:
    await schedule_daily(installed)
    installed.fake.gone_channels["C1"] = "token_revoked"
    clock.advance(timedelta(minutes=1))
    await run_due(installed.deps)
    async with installed.deps.uow() as uow:
        workspace = await uow.workspaces.find("slack", "T1")
    assert workspace is not None and not workspace.active
    clock.advance(timedelta(seconds=15))
    await run_due(installed.deps)
    assert len(installed.fake.to("chat.postMessage")) == 1  # not retried every pass


def test_slack_markup_characters_in_our_texts_are_shown_as_written() -> None:
    from bot.platforms.slack_app.blocks import mrkdwn

    block = mrkdwn("Allow s3:GetObject on home/<user name>/* & nothing else")
    assert block["text"]["text"] == (
        "Allow s3:GetObject on home/&lt;user name&gt;/* &amp; nothing else")


async def test_a_second_try_of_a_post_finds_the_first_in_the_channel_instead_of_posting_again(
        installed: SlackRig, clock: FrozenClock) -> None:
    fake = installed.fake
    await schedule_daily(installed)
    clock.advance(timedelta(minutes=1))
    [question] = (await run_due(installed.deps)).questions
    [first] = fake.posts_in("C1")
    assert first["metadata"]["event_payload"] == {"post": f"question:{question.round_id}"}
    # A worker died after Slack took the post but before it stored the ts: the next try
    # looks in the channel's history and finds it.
    again = await installed.deps.poster.post_question(
        Target("slack", "T1", "C1"), question, PostKey(f"question:{question.round_id}", True))
    assert again == first["ts"]
    assert len(fake.posts_in("C1")) == 1
