"""Requests that are not Slack's cost a 4xx and a log line at most; odd signed input gets a
polite reply. Never a 500, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import asyncpg

from tests.chaos.processes import Bot
from tests.chaos.slack_traffic import Slack, pop_round, serving, started
from tests.platforms.slack.fake_slack import FakeSlack

FORM = "application/x-www-form-urlencoded"


async def test_unsigned_or_malformed_requests_get_4xx_and_odd_signed_input_a_polite_reply(
        database_url: str, fake: FakeSlack, slack: Slack, db: asyncpg.Connection,
        bots: list[Bot], logs: Path) -> None:
    bot = serving(database_url, fake, logs / "bot.log")
    bots.append(bot)
    await started(bot)
    round_id, letters = await pop_round(slack, bot, db, channel="C9")

    unsigned = [
        ("{not json", {"Content-Type": "application/json"}),
        ("{not json", {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "soon",
                       "X-Slack-Signature": "v0=00"}),
        ("payload=%7B", {"Content-Type": FORM, "X-Slack-Request-Timestamp": "1e9",
                         "X-Slack-Signature": "v0=ff"}),
        ("", {"Content-Type": FORM}),
        ("\udcff", {"Content-Type": "text/plain"}),
    ]
    for body, headers in unsigned:
        status, _ = await slack.send(bot, body, headers=headers)
        assert 400 <= status < 500, body

    for body in ["{not json", "payload=%7Bnope", "[1, 2]", "payload=" + json.dumps([1])]:
        status, _ = await slack.send(bot, body)
        assert 400 <= status < 500, body

    odd = [
        slack.click("U0BEA", 2**70, letters, channel="C9"),  # a round beyond BIGINT
        slack.click("U0\x00BEA", round_id, letters, channel="C9"),  # a NUL byte in an id
        slack.click("U" * 300, round_id, letters, channel="C9"),  # longer than the column
        slack.click("U0BEA", round_id, letters, channel="C9", team="T" * 100),
        slack.click("U0BEA", "１２", letters, channel="C9"),  # digits, but not ASCII ones
        slack.command("U0ADA", "me lambda\x00"),
        urlencode({"team_id": "T1", "user_id": "U0ADA", "command": "/quiz", "text": "help",
                   "channel_id": "C" * 500, "trigger_id": "t.odd"}),
    ]
    for body in odd:
        status, _ = await slack.send(bot, body)
        assert status == 200, body

    log = bot.output()
    assert "Traceback" not in log
    assert " 500 " not in log
