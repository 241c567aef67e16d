"""Slack's side of the chaos suite: signed commands and clicks sent to real processes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.chaos.processes import REPO, Bot
from tests.platforms.slack.deliveries import SECRET
from tests.platforms.slack.fake_slack import FakeSlack, bot_token

TEAM = "T1"


async def eventually(condition: Callable[[], Awaitable[bool]], timeout: float,
                     what: str) -> None:
    """Poll a condition every 50 ms until it holds."""
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def serving(database_url: str, fake: FakeSlack, log: Path, redis_url: str = "") -> Bot:
    """A `quizbot run` that serves Slack for workspace T1 (no scheduling), not yet started."""
    return Bot({"DATABASE_URL": database_url, "REDIS_URL": redis_url,
                "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": bot_token(TEAM),
                "SLACK_API_URL": fake.api_url, "SCHEDULER_ENABLED": "false",
                "LOG_LEVEL": "INFO", "QUESTIONS_PATH": str(REPO / "questions")}, log)


async def started(*bots: Bot) -> None:
    """Start the processes together and wait until each answers."""
    for bot in bots:
        bot.start()
    await asyncio.gather(*(bot.ready() for bot in bots))


def url_of(bot: Bot) -> str:
    """Where a process serves."""
    return f"http://127.0.0.1:{bot.port}"


class Slack:
    """What Slack sends: signed slash commands and clicks, to any process."""

    def __init__(self, http: aiohttp.ClientSession, fake: FakeSlack) -> None:
        self.http, self.fake = http, fake
        self.verifier = SignatureVerifier(SECRET)
        self._ids = 0

    def key(self) -> str:
        """A fresh id for a trigger and its response_url."""
        self._ids += 1
        return f"chaos{self._ids}"

    def signed(self, body: str) -> dict[str, str]:
        """Headers Slack would send with this body."""
        timestamp = str(int(time.time()))
        signature = self.verifier.generate_signature(timestamp=timestamp, body=body)
        assert signature is not None  # None only without a signing secret
        return {"Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}

    def command(self, user: str, text: str, channel: str = "C1") -> str:
        """A /quiz command body."""
        key = self.key()
        return urlencode({"team_id": TEAM, "team_domain": "acme", "channel_id": channel,
                          "channel_name": "general", "user_id": user, "user_name": user.lower(),
                          "command": "/quiz", "text": text, "api_app_id": "A0QUIZ",
                          "response_url": self.fake.response_url(key),
                          "trigger_id": f"trig.{key}"})

    def click(self, user: str, round_id: int | str, letters: str, channel: str = "C1",
              team: str = TEAM) -> str:
        """A block_actions body: `user` clicks a letter (or ticks letters and presses Submit)."""
        key = self.key()
        block = f"round_{round_id}"
        state: dict[str, Any] = {"values": {}}
        if len(letters) == 1:
            action = {"type": "button", "action_id": f"answer_{letters}", "block_id": block,
                      "value": f"{round_id}:{letters}"}
        else:
            action = {"type": "button", "action_id": "answer_submit", "block_id": block,
                      "value": f"{round_id}:"}
            state["values"][block] = {"pick": {"type": "checkboxes", "selected_options": [
                {"value": letter} for letter in letters]}}
        payload: dict[str, Any] = {
            "type": "block_actions", "api_app_id": "A0QUIZ",
            "user": {"id": user, "username": user.lower(), "name": user.lower(),
                     "team_id": team},
            "team": {"id": team, "domain": "acme"},
            "channel": {"id": channel, "name": "general"},
            "container": {"type": "message", "message_ts": "1800000001.000100",
                          "channel_id": channel, "is_ephemeral": False},
            "state": state, "trigger_id": f"trig.{key}",
            "response_url": self.fake.response_url(key),
            "actions": [{**action, "action_ts": f"{time.time():.6f}"}]}
        return urlencode({"payload": json.dumps(payload)})

    async def send(self, bot: Bot, body: str,
                   headers: dict[str, str] | None = None) -> tuple[int, str]:
        """POST to a process's /slack/events; (status, body), status 0 if the connection
        was refused or dropped."""
        try:
            async with self.http.post(f"{url_of(bot)}/slack/events",
                                      data=body.encode("utf-8", "surrogateescape"),
                                      headers=headers if headers is not None
                                      else self.signed(body)) as response:
                return response.status, await response.text()
        except (aiohttp.ClientError, ConnectionError):
            return 0, ""


async def pop_round(slack: Slack, bot: Bot, db: Any, channel: str = "C1") -> tuple[int, str]:
    """Ask a pop quiz through a process; (round id, letters that answer it)."""
    status, reply = await slack.send(bot, slack.command("U0ADA", "now", channel))
    assert status == 200, reply
    row = await db.fetchrow(
        "SELECT r.id, q.answer FROM rounds r JOIN questions q ON q.id = r.question_id "
        "JOIN channels c ON c.id = r.channel_id WHERE c.external_id = $1 AND r.kind = 'pop' "
        "ORDER BY r.id DESC LIMIT 1", channel)
    assert row is not None, (reply, bot.output()[-2000:])
    wanted = len(json.loads(row["answer"]))
    return int(row["id"]), "ABCD"[:wanted]


async def answerers(db: Any, round_id: int) -> set[str]:
    """The Slack ids of everyone whose answer to a round is stored."""
    rows = await db.fetch("SELECT m.external_id FROM answers a JOIN members m "
                          "ON m.id = a.member_id WHERE a.round_id = $1", round_id)
    return {row["external_id"] for row in rows}
