"""Slack's side of the HTTP conversation: signed commands, clicks and events, as documented."""

from __future__ import annotations

import itertools
import json
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlencode

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from slack_sdk.signature import SignatureVerifier

from bot.domain.model import Difficulty, RoundKind
from bot.domain.views import QuestionView
from tests.platforms.slack.fake_slack import FakeSlack, Person

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
_ids = itertools.count(1)


class SlackSends:
    """Sends what Slack sends to /slack/events, signed with the app's signing secret."""

    def __init__(self, http: TestClient[Any, Any], fake: FakeSlack, secret: str = SECRET) -> None:
        self.http, self.fake = http, fake
        self.verifier = SignatureVerifier(secret)

    def headers(self, body: str, content_type: str, age: int = 0,
                retry: int | None = None) -> dict[str, str]:
        """Slack's signature headers; `age` seconds in the past; a retry number if redelivered."""
        timestamp = str(int(time.time()) - age)
        signature = self.verifier.generate_signature(timestamp=timestamp, body=body)
        assert signature is not None  # None only without a signing secret
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                   "X-Slack-Signature": signature}
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return headers

    async def post(self, body: str, content_type: str, **options: Any) -> ClientResponse:
        """POST a body to /slack/events with valid signature headers (unless overridden)."""
        headers = self.headers(body, content_type, options.pop("age", 0),
                               options.pop("retry", None))
        headers |= options.pop("headers", {})
        response = await self.http.post("/slack/events", data=body.encode(), headers=headers)
        sent_to = re.search(r"/respond/(\w+)", unquote(body))
        if response.status == 200 and response.content_type == "application/json" and sent_to:
            # Slack shows a reply in the acknowledgement as it shows one sent to response_url.
            self.fake.responses.append((sent_to.group(1), await response.json()))
        return response

    def command_body(self, person: Person, text: str, channel: str = "C1") -> tuple[str, str]:
        """A /quiz slash command, form-encoded; returns the body and its response_url key."""
        key = f"cmd{next(_ids)}"
        body = urlencode({
            "token": "deprecated", "team_id": person.team, "team_domain": person.team.lower(),
            "channel_id": channel, "channel_name": f"quiz-{channel.lower()}",
            "user_id": person.id, "user_name": person.name.lower(), "command": "/quiz",
            "text": text, "api_app_id": "A0QUIZ", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(key), "trigger_id": f"trig.{key}"})
        return body, key

    async def command(self, person: Person, text: str, channel: str = "C1",
                      **options: Any) -> tuple[ClientResponse, str]:
        """Type `/quiz text`; returns the HTTP response and the response_url key."""
        body, key = self.command_body(person, text, channel)
        return await self.post(body, "application/x-www-form-urlencoded", **options), key

    def click_body(self, person: Person, view: QuestionView, letters: str,
                   channel: str = "C1", value: str | None = None,
                   ephemeral: bool = False) -> tuple[str, str]:
        """A block_actions payload for a click on a question's button (or Submit)."""
        key = f"act{next(_ids)}"
        block_id = f"round_{view.round_id}"
        state: dict[str, Any] = {"values": {}}
        if view.pick > 1:
            action = {"type": "button", "action_id": "answer_submit", "block_id": block_id,
                      "value": value or f"{view.round_id}:",
                      "text": {"type": "plain_text", "text": "Submit"}}
            state["values"][block_id] = {"pick": {"type": "checkboxes", "selected_options": [
                {"value": letter, "text": {"type": "plain_text", "text": letter}}
                for letter in letters]}}
        else:
            action = {"type": "button", "action_id": f"answer_{letters}", "block_id": block_id,
                      "value": value or f"{view.round_id}:{letters}",
                      "text": {"type": "plain_text", "text": letters}}
        payload = {
            "type": "block_actions", "api_app_id": "A0QUIZ", "token": "deprecated",
            "user": {"id": person.id, "username": person.name.lower(), "name": person.name.lower(),
                     "team_id": person.team},
            "team": {"id": person.team, "domain": person.team.lower()},
            "enterprise": None, "is_enterprise_install": False,
            "channel": {"id": channel, "name": f"quiz-{channel.lower()}"},
            "container": {"type": "message", "message_ts": "1800000001.000100",
                          "channel_id": channel, "is_ephemeral": ephemeral},
            "message": {"type": "message", "ts": "1800000001.000100", "text": view.text},
            "state": state, "trigger_id": f"trig.{key}",
            "response_url": self.fake.response_url(key),
            "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
        }
        return urlencode({"payload": json.dumps(payload)}), key

    async def click(self, person: Person, view: QuestionView, letters: str,
                    **options: Any) -> tuple[ClientResponse, str]:
        """Click a question's answer; returns the HTTP response and the response_url key."""
        shape = {k: options.pop(k) for k in ("channel", "value", "ephemeral") if k in options}
        body, key = self.click_body(person, view, letters, **shape)
        return await self.post(body, "application/x-www-form-urlencoded", **options), key

    def event_body(self, team: str, event: dict[str, Any]) -> str:
        """An Events API event_callback."""
        return json.dumps({
            "token": "deprecated", "team_id": team, "api_app_id": "A0QUIZ", "event": event,
            "type": "event_callback", "event_id": f"Ev{next(_ids):08d}",
            "event_time": int(time.time()), "is_ext_shared_channel": False,
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "U0BOT",
                                "is_bot": True, "is_enterprise_install": False}]})

    async def event(self, body: str, **options: Any) -> ClientResponse:
        """Deliver an event body."""
        return await self.post(body, "application/json", **options)

    async def install(self, team: str) -> ClientResponse:
        """Click "Add to Slack" and come back through Slack's redirect with a code."""
        start = await self.http.get("/slack/install")
        assert start.status == 200
        state = re.search(r"state=([\w-]+)", await start.text())
        assert state is not None
        cookie = f"slack-app-oauth-state={state.group(1)}"
        return await self.http.get("/slack/oauth_redirect",
                                   params={"code": f"code-{team}", "state": state.group(1)},
                                   headers={"Cookie": cookie})


def question_in(blocks: list[dict[str, Any]]) -> QuestionView:
    """Read a question message as a person does: its text, lettered choices and buttons."""
    text = blocks[1]["text"]["text"]
    choices = [(line[1], line.split(")* ", 1)[1])
               for line in blocks[2]["text"]["text"].splitlines()]
    actions = next(b for b in blocks if b["type"] == "actions")
    pick = 1 if actions["elements"][0]["type"] == "button" else 2
    round_id = int(str(actions["elements"][-1]["value"]).split(":")[0])
    return QuestionView(round_id, 0, RoundKind.PRACTICE, "", "", Difficulty.MEDIUM, text,
                        choices, pick, datetime.now(UTC), "UTC")
