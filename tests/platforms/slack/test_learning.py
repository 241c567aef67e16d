"""Learning views in Slack: readiness in the stats, a review question with its buttons."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from bot.domain.views import QuestionView
from tests.platforms.slack.conftest import ALICE, SlackRig
from tests.platforms.slack.deliveries import question_in
from tests.platforms.slack.test_commands import reply
from tests.sample import right_letters, wrong_letters


async def _answer(rig: SlackRig, question: QuestionView, letters: str) -> None:
    _, click = await rig.send.click(ALICE, question, letters, ephemeral=True)
    await rig.fake.wait_until(lambda: bool(rig.fake.responses_to(click)))


async def test_stats_show_readiness_by_domain_and_the_reviews_due(installed: SlackRig) -> None:
    shown = await reply(installed, ALICE, "me lambda")
    await _answer(installed, question_in(shown["blocks"]),
                  wrong_letters(question_in(shown["blocks"])))
    stats = str((await reply(installed, ALICE, "stats"))["blocks"])
    assert "*Exam readiness* (95% interval)" in stats
    assert "Not enough answers yet" in stats
    assert "Due today: 1 review" in stats


async def test_review_asks_a_missed_question_again_privately_with_its_buttons(
        installed: SlackRig) -> None:
    nothing = await reply(installed, ALICE, "review")
    assert "Nothing to review" in str(nothing["text"])
    shown = await reply(installed, ALICE, "me dynamodb")
    missed = question_in(shown["blocks"])
    await _answer(installed, missed, wrong_letters(missed))

    again = await reply(installed, ALICE, "review")
    assert again["response_type"] == "ephemeral"
    blocks = again["blocks"]
    assert "🔁 Review: 1 missed question left" in str(blocks[0])
    question = question_in(blocks[1:])
    assert question.text == missed.text
    await _answer(installed, question, right_letters(question))
    assert "Nothing to review" in str((await reply(installed, ALICE, "review"))["text"])


def _report_click(rig: SlackRig, round_id: int) -> str:
    payload = {
        "type": "block_actions", "api_app_id": "A0QUIZ", "token": "deprecated",
        "user": {"id": ALICE.id, "username": "alice", "name": "alice", "team_id": ALICE.team},
        "team": {"id": ALICE.team, "domain": ALICE.team.lower()},
        "channel": {"id": "C1", "name": "quiz-c1"}, "trigger_id": f"trig.report{round_id}",
        "container": {"type": "message", "message_ts": "1800000001.000100",
                      "channel_id": "C1", "is_ephemeral": True},
        "response_url": rig.fake.response_url(f"report{round_id}"),
        "actions": [{"type": "button", "action_id": "report_problem", "block_id": "report_1",
                     "value": str(round_id), "action_ts": f"{time.time():.6f}"}]}
    return urlencode({"payload": json.dumps(payload)})


def _submission(modal: dict[str, Any], reason: str) -> str:
    view = {**modal, "id": "V1", "state": {"values": {"reason": {"reason_input": {
        "type": "plain_text_input", "value": reason}}}}}
    payload = {"type": "view_submission", "api_app_id": "A0QUIZ", "token": "deprecated",
               "team": {"id": ALICE.team, "domain": ALICE.team.lower()},
               "user": {"id": ALICE.id, "username": "alice", "name": "alice",
                        "team_id": ALICE.team},
               "trigger_id": f"trig.submit{time.time_ns()}", "view": view}
    return urlencode({"payload": json.dumps(payload)})


async def test_report_a_problem_opens_a_modal_and_stores_the_one_line_reason(
        installed: SlackRig) -> None:
    shown = await reply(installed, ALICE, "me lambda")
    question = question_in(shown["blocks"])
    _, click = await installed.send.click(ALICE, question, right_letters(question),
                                          ephemeral=True)
    await installed.fake.wait_until(lambda: bool(installed.fake.responses_to(click)))
    [verdict] = installed.fake.responses_to(click)
    report = verdict["blocks"][-1]
    assert report["elements"][0]["action_id"] == "report_problem"
    assert report["elements"][0]["text"]["text"] == "⚠️ Report a problem"

    form = "application/x-www-form-urlencoded"
    await installed.send.post(_report_click(installed, question.round_id), form)
    await installed.fake.wait_until(lambda: bool(installed.fake.to("views.open")))
    [opened] = installed.fake.to("views.open")
    modal = opened.args["view"]
    modal = json.loads(modal) if isinstance(modal, str) else modal
    assert modal["callback_id"] == "report_problem_modal"

    empty = await installed.send.post(_submission(modal, "  "), form)
    assert (await empty.json())["errors"]["reason"].startswith("Say in a line")
    done = await installed.send.post(_submission(modal, "the explanation names the wrong limit"),
                                     form)
    answer = await done.json()
    assert answer["response_action"] == "update"
    assert "Thanks: your report is in" in json.dumps(answer["view"])
    async with installed.deps.uow() as uow:
        [stored] = await uow.reports.open()
    assert stored.reason == "the explanation names the wrong limit"


async def test_the_home_tab_shows_exam_readiness_too(installed: SlackRig) -> None:
    event = {"type": "app_home_opened", "user": ALICE.id, "channel": "D0HOME", "tab": "home",
             "event_ts": "1800000000.000300"}
    assert (await installed.send.event(installed.send.event_body("T1", event))).status == 200
    await installed.fake.wait_until(lambda: bool(installed.fake.to("views.publish")))
    [publish] = installed.fake.to("views.publish")
    view = publish.args["view"]
    shown = view if isinstance(view, str) else json.dumps(view, ensure_ascii=False)
    assert "*Exam readiness* (95% interval)" in shown and "Due today: 0 reviews." in shown
