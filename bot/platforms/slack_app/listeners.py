"""/quiz and the answer buttons: Slack requests in, service calls, Block Kit out."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.errors import QuizError
from bot.domain.model import Who
from bot.domain.views import (
    ExamQuestion,
    ExamResult,
    Notice,
    PopPosted,
    Receipt,
    StatsView,
    Verdict,
    View,
)
from bot.platforms.chart_links import ChartLinks
from bot.platforms.render_text import render
from bot.platforms.slack_app.admins import People
from bot.platforms.slack_app.blocks import (
    ANSWER_ACTION,
    PICK_ACTION,
    SUBMIT_ACTION,
    escape,
    mrkdwn,
    parse_answer_value,
)
from bot.platforms.slack_app.chart_replies import show_stats_with_chart
from bot.platforms.slack_app.exam_listeners import IN_YOUR_DMS, to_direct_message
from bot.platforms.slack_app.payloads import (
    Body,
    checked_letters,
    user_of_action,
    where_of_action,
    where_of_command,
)
from bot.platforms.slack_app.replies import APOLOGY, reply_for
from bot.services import quiz
from bot.services.deps import Deps

log = logging.getLogger(__name__)
COMMAND = "/quiz"
NOT_OURS = "That button doesn't belong to a quiz question I know, so it scores nothing."


async def _private(respond: AsyncRespond, text: str, **extra: Any) -> None:
    await respond(text=escape(text), blocks=[mrkdwn(text)], response_type="ephemeral",
                  replace_original=False, **extra)


async def _show(respond: AsyncRespond, view: View) -> None:
    if isinstance(view, PopPosted):
        await _private(respond, render(view))  # the question itself went to the channel
        return
    reply = reply_for(view)
    await respond(text=reply.text, blocks=reply.blocks,
                  response_type="in_channel" if reply.in_channel else "ephemeral")


async def _our_value(action: dict[str, Any], respond: AsyncRespond) -> tuple[int, str] | None:
    """The (round, letters) a button carries; a value that is not ours gets a polite no."""
    parsed = parse_answer_value(str(action.get("value", "")))
    if parsed is None:
        await _private(respond, NOT_OURS)
    return parsed


class QuizListeners:
    """Turns /quiz and clicks into quiz.handle and quiz.answer; all state stays in the services."""

    def __init__(self, deps: Deps, people: People, charts: ChartLinks | None = None) -> None:
        self.deps, self.people, self.charts = deps, people, charts

    def register(self, app: AsyncApp) -> None:
        """Listen for /quiz, the answer buttons, the checkboxes and Submit."""
        app.command(COMMAND)(self.on_command)
        app.action(re.compile(rf"^{ANSWER_ACTION}_[A-H]$"))(self.on_answer)
        app.action(SUBMIT_ACTION)(self.on_submit)
        app.action(PICK_ACTION)(self.on_pick)

    async def on_command(self, ack: AsyncAck, body: Body, respond: AsyncRespond,
                         client: AsyncWebClient) -> None:
        """Ack at once (Slack waits 3 seconds at most), then run the command and respond."""
        await ack()
        where = where_of_command(body)
        try:
            who = await self.people.who(client, where.workspace, body.get("user_id", ""),
                                        body.get("user_name", ""))
            view = await quiz.handle(self.deps, where, who, body.get("text") or "")
            if isinstance(view, ExamQuestion | ExamResult):  # exams run in direct messages
                await to_direct_message(client, who.external_id, view)
                view = Notice(IN_YOUR_DMS)
        except QuizError as error:
            await _private(respond, str(error))
            return
        except Exception:
            log.exception("/quiz %r failed in %s", body.get("text"), where.workspace)
            await _private(respond, APOLOGY)
            return
        if isinstance(view, StatsView) and self.charts is not None:
            await show_stats_with_chart(respond, view, self.charts, self.deps.clock.now())
            return
        await _show(respond, view)

    async def on_answer(self, ack: AsyncAck, body: Body, action: dict[str, Any],
                        respond: AsyncRespond, client: AsyncWebClient) -> None:
        """A button of a one-answer question."""
        await ack()
        if (parsed := await _our_value(action, respond)) is not None:
            await self._answer(body, respond, client, *parsed)

    async def on_submit(self, ack: AsyncAck, body: Body, action: dict[str, Any],
                        respond: AsyncRespond, client: AsyncWebClient) -> None:
        """Submit under the checkboxes of a "choose two" question."""
        await ack()
        if (parsed := await _our_value(action, respond)) is None:
            return
        letters = checked_letters(body, str(action.get("block_id", "")))
        if not letters:
            await _private(respond, "Tick your choices first, then press Submit.")
            return
        await self._answer(body, respond, client, parsed[0], letters)

    async def on_pick(self, ack: AsyncAck) -> None:
        """Ticking a checkbox only changes the message's state; Submit sends the answer."""
        await ack()

    async def _answer(self, body: Body, respond: AsyncRespond, client: AsyncWebClient,
                      round_id: int, letters: str) -> None:
        where = where_of_action(body)
        user_id, name = user_of_action(body)
        try:
            who: Who = await self.people.who(client, where.workspace, user_id, name)
            view = await quiz.answer(self.deps, where, who, round_id, letters)
        except QuizError as error:
            await _private(respond, str(error))
            return
        except Exception:
            log.exception("an answer to round %s failed in %s", round_id, where.workspace)
            await _private(respond, APOLOGY)
            return
        if isinstance(view, Verdict):  # practice: the verdict takes the buttons' place
            reply = reply_for(view)
            await respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral",
                          replace_original=True)
        elif isinstance(view, Receipt):
            await _private(respond, render(view))
