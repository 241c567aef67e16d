"""Mock exams on Slack: started from /quiz, run in the bot's direct messages, one question per
message update; all exam state stays in the services."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.errors import QuizError
from bot.domain.model import Who
from bot.domain.views import ExamQuestion, ExamResult
from bot.platforms.inflight import InFlight
from bot.platforms.slack_app.admins import People
from bot.platforms.slack_app.blocks import escape, mrkdwn
from bot.platforms.slack_app.exam_blocks import (
    EXAM_ANSWER,
    EXAM_PICK,
    EXAM_SUBMIT,
    parse_exam_value,
)
from bot.platforms.slack_app.payloads import Body, user_of_action, where_of_action
from bot.platforms.slack_app.replies import APOLOGY, reply_for
from bot.services import quiz
from bot.services.deps import Deps

log = logging.getLogger(__name__)
IN_YOUR_DMS = "📝 Your mock exam is in your direct messages with me. Good luck!"


async def to_direct_message(client: AsyncWebClient, user_id: str,
                            view: ExamQuestion | ExamResult) -> None:
    """Post an exam's question (or result) in the bot's direct message with the member."""
    reply = reply_for(view)
    try:
        opened = await client.conversations_open(users=user_id)
        channel = (opened.get("channel") or {}).get("id", "")
        await client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks)
    except SlackApiError as error:
        # An install from before mock exams lacks im:write; the exam itself is kept.
        log.warning("cannot open a direct message with %s: %s", user_id, error)
        raise QuizError("I can't write to you directly yet: ask an admin to reinstall the app "
                        "(it now asks to send direct messages), then `/quiz exam` again picks "
                        "up your exam.") from None


async def _private(respond: AsyncRespond, text: str) -> None:
    await respond(text=escape(text), blocks=[mrkdwn(text)], response_type="ephemeral",
                  replace_original=False)


def _ticked(body: Body, block_id: str) -> str:
    values = ((body.get("state") or {}).get("values") or {}).get(block_id) or {}
    picked = (values.get(EXAM_PICK) or {}).get("selected_options") or []
    return "".join(str(option.get("value", "")) for option in picked)


class ExamListeners:
    """The exam's answer buttons, checkboxes and Submit.

    As for every click, the answer is committed before the acknowledgement; the next question
    follows through response_url as tracked work that shutdown waits for.
    """

    def __init__(self, deps: Deps, people: People, inflight: InFlight | None = None) -> None:
        self.deps, self.people = deps, people
        self.inflight = inflight or InFlight()

    def register(self, app: AsyncApp) -> None:
        """Listen for exam answers."""
        app.action(re.compile(rf"^{EXAM_ANSWER}_[A-H]$"))(self.on_answer)
        app.action(EXAM_SUBMIT)(self.on_answer)
        app.action(EXAM_PICK)(self.on_pick)

    async def on_pick(self, ack: AsyncAck) -> None:
        """Ticking a box changes nothing yet; Submit sends the answer."""
        await ack()

    async def on_answer(self, ack: AsyncAck, body: Body, action: dict[str, Any],
                        respond: AsyncRespond) -> None:
        """Record the answer; the message becomes the next question, or the result."""
        parsed = parse_exam_value(str(action.get("value", "")))
        if parsed is None:
            await ack()
            return
        exam_id, number, letters = parsed
        letters = letters or _ticked(body, str(action.get("block_id", "")))
        if not letters:
            await self._reply_after(ack, respond, "Tick your choices first, then press Submit.")
            return
        try:
            where = where_of_action(body)
            user_id, name = user_of_action(body)
            # The exam's owner is known already: no users.info call on the click path.
            who = self.people.cached(where.workspace, user_id) or Who(user_id, name or user_id)
            view = await quiz.answer_exam(self.deps, where, who, exam_id, number, letters)
        except QuizError as error:
            await self._reply_after(ack, respond, str(error))
            return
        except Exception:
            log.exception("an answer to exam %s failed", exam_id)
            await self._reply_after(ack, respond, APOLOGY)
            return
        await ack()
        reply = reply_for(view)
        self.inflight.spawn(respond(text=reply.text, blocks=reply.blocks, replace_original=True),
                            "slack-exam")

    async def _reply_after(self, ack: AsyncAck, respond: AsyncRespond, text: str) -> None:
        await ack()
        self.inflight.spawn(_private(respond, text), "slack-reply")
