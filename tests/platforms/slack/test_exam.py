"""A mock exam on Slack: started with /quiz exam, run in the bot's direct messages."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.platforms.slack.conftest import ALICE, BOB, SlackRig
from tests.platforms.slack.test_commands import reply
from tests.sample import SAMPLE_QUESTIONS

FORM = "application/x-www-form-urlencoded"
DM = f"D{ALICE.id}"


def _click(rig: SlackRig, person: Any, blocks: list[dict[str, Any]], key: str,
           right: bool = True) -> str:
    """Answer the exam question shown in `blocks`, as a person reading it would."""
    text = blocks[1]["text"]["text"]
    question = next(q for q in SAMPLE_QUESTIONS if q.text == text)
    lines = blocks[2]["text"]["text"].splitlines()
    shown = {line[1]: line.split(")* ", 1)[1] for line in lines}
    wanted = {question.choices[i] for i in question.answer}
    letters = "".join(sorted(k for k, v in shown.items() if (v in wanted) == right))
    letters = letters[: len(question.answer)]
    actions = blocks[-1]
    if question.multi:
        submit = actions["elements"][1]
        action = {**submit, "block_id": actions["block_id"]}
        state = {"values": {actions["block_id"]: {"exam_pick": {
            "type": "checkboxes", "selected_options": [{"value": x} for x in letters]}}}}
    else:
        button = next(e for e in actions["elements"] if e["value"].endswith(f":{letters}"))
        action, state = {**button, "block_id": actions["block_id"]}, {"values": {}}
    payload = {
        "type": "block_actions", "api_app_id": "A0QUIZ", "token": "deprecated",
        "user": {"id": person.id, "username": person.name.lower(), "team_id": person.team},
        "team": {"id": person.team, "domain": person.team.lower()},
        "channel": {"id": DM, "name": "directmessage"}, "trigger_id": f"trig.{key}",
        "container": {"type": "message", "message_ts": "1800000001.000100", "channel_id": DM},
        "state": state, "response_url": rig.fake.response_url(key),
        "actions": [{**action, "action_ts": f"{time.time():.6f}"}]}
    return urlencode({"payload": json.dumps(payload)})


async def test_a_mock_exam_runs_in_direct_messages_and_ends_with_the_score(
        installed: SlackRig) -> None:
    started = await reply(installed, ALICE, "exam 3")
    assert started["response_type"] == "ephemeral"
    assert "Your mock exam is in your direct messages" in str(started["text"])
    [first] = installed.fake.posts_in(DM)
    blocks = first["blocks"]
    assert "Mock exam · question 1 of 3 · 6 min left" in str(blocks[0])

    intruder = f"bob{time.time_ns()}"
    await installed.send.post(_click(installed, BOB, blocks, intruder), FORM)
    await installed.fake.wait_until(lambda: bool(installed.fake.responses_to(intruder)))
    assert "someone else's" in str(installed.fake.responses_to(intruder)[0]["text"])

    for number in range(1, 4):
        key = f"exam{number}{time.time_ns()}"
        await installed.send.post(_click(installed, ALICE, blocks, key, right=number != 3),
                                  FORM)

        def answered(k: str = key) -> bool:
            return bool(installed.fake.responses_to(k))

        await installed.fake.wait_until(answered)
        [shown] = installed.fake.responses_to(key)
        assert shown["replace_original"] is True
        blocks = shown["blocks"]
        if number < 3:
            assert f"question {number + 1} of 3" in str(blocks[0])
    result = str(blocks)
    assert "*Mock exam finished.* 2 of 3 right (67%)" in result
    assert "*By domain*" in result and "*3.* Question" in result

    # Asked again in the channel, the finished exam is not resumed: a new one starts.
    await reply(installed, ALICE, "exam 2")
    assert "question 1 of 2" in str(installed.fake.posts_in(DM)[-1]["blocks"][0])


async def test_an_install_without_direct_messages_is_told_how_to_get_them(
        installed: SlackRig) -> None:
    installed.fake._open_dm = lambda team, args: {  # type: ignore[method-assign]
        "ok": False, "error": "missing_scope"}
    said = await reply(installed, ALICE, "exam 2")
    assert "ask an admin to reinstall the app" in str(said["text"])
