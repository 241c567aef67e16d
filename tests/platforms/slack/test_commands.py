"""/quiz in Slack: every reply private unless meant for the channel; admins from users.info."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.services.deps import Deps
from tests.platforms.slack.conftest import ADA, ALICE, SlackRig, slack_settings, start_rig
from tests.platforms.slack.deliveries import question_in
from tests.platforms.slack.fake_slack import FakeSlack, Person, bot_token
from tests.sample import right_letters


async def reply(rig: SlackRig, person: Person, text: str) -> dict[str, Any]:
    _, key = await rig.send.command(person, text)
    await rig.fake.wait_until(lambda: bool(rig.fake.responses_to(key)))
    [answer] = rig.fake.responses_to(key)
    return answer


async def test_settings_changes_are_refused_to_members_who_are_not_admins(
        installed: SlackRig) -> None:
    answer = await reply(installed, ALICE, "daily 09:00")
    assert answer["response_type"] == "ephemeral"
    assert str(answer["text"]).startswith("Only workspace admins")


async def test_a_typo_gets_a_one_line_hint(installed: SlackRig) -> None:
    answer = await reply(installed, ALICE, "leaderbord")
    assert "I don't know `leaderbord`" in str(answer["text"])


async def test_help_lists_the_commands_with_examples(installed: SlackRig) -> None:
    answer = await reply(installed, ALICE, "help")
    assert "/quiz daily 09:30 Europe/Berlin mon-fri" in str(answer["blocks"])


async def test_stats_show_accuracy_by_exam_domain_as_bars(installed: SlackRig) -> None:
    shown = await reply(installed, ALICE, "me lambda")
    question = question_in(shown["blocks"])
    _, click = await installed.send.click(ALICE, question, right_letters(question),
                                          ephemeral=True)
    await installed.fake.wait_until(lambda: bool(installed.fake.responses_to(click)))
    stats = str((await reply(installed, ALICE, "stats"))["blocks"])
    assert "By exam domain" in stats and "`██████████` 100%" in stats
    assert "📊 Alice" in stats


async def test_topics_and_settings_answer_privately(installed: SlackRig) -> None:
    topics = await reply(installed, ALICE, "topics")
    assert "`dynamodb` DynamoDB" in str(topics["blocks"])
    settings = await reply(installed, ALICE, "settings")
    assert settings["response_type"] == "ephemeral"
    assert "Settings for #quiz-c1" in str(settings["blocks"])


@pytest.fixture
async def one_workspace(deps: Deps, engine: AsyncEngine,
                        fake_slack: FakeSlack) -> AsyncIterator[SlackRig]:
    """The app with SLACK_BOT_TOKEN instead of OAuth."""
    settings = slack_settings(fake_slack, slack_client_id=None, slack_client_secret=None,
                              slack_bot_token=bot_token("T1"))
    async for rig in start_rig(settings, deps, engine, fake_slack):
        yield rig


async def test_one_workspace_with_a_bot_token_needs_no_install(one_workspace: SlackRig) -> None:
    answer = await reply(one_workspace, ADA, "window 4h")
    assert answer["response_type"] == "in_channel"
    assert one_workspace.fake.to("auth.test")[0].token == bot_token("T1")
    install = await one_workspace.send.http.get("/slack/install")
    assert install.status == 404
    assert "SLACK_CLIENT_ID" in await install.text()


async def test_an_app_that_is_not_installed_in_a_workspace_answers_nothing_there(
        rig: SlackRig) -> None:
    response, key = await rig.send.command(ALICE, "now")
    assert response.status == 200
    await rig.fake.wait_until(lambda: bool(rig.fake.responses_to(key)))
    assert "reinstall" in str(rig.fake.responses_to(key)[0]["text"])
    assert rig.fake.to("chat.postMessage") == []
