"""/quiz and the answer buttons: Slack requests in, service calls, Block Kit out."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.errors import QuizError
from bot.domain.model import Where, Who
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
from bot.platforms.inflight import InFlight
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
from bot.platforms.slack_app.chart_replies import stats_reply_with_chart
from bot.platforms.slack_app.exam_listeners import IN_YOUR_DMS, to_direct_message
from bot.platforms.slack_app.payloads import (
    TEXT_LENGTH,
    Body,
    checked_id,
    checked_letters,
    clean,
    user_of_action,
    where_of_action,
    where_of_command,
)
from bot.platforms.slack_app.replies import APOLOGY, reply_for
from bot.services import answering, quiz
from bot.services.deps import Deps

log = logging.getLogger(__name__)
NAME_LOOKUP_SECONDS = 2.0
COMMAND = "/quiz"
NOT_OURS = "That button doesn't belong to a quiz question I know, so it scores nothing."


async def _private(respond: AsyncRespond, text: str, **extra: Any) -> None:
    await respond(text=escape(text), blocks=[mrkdwn(text)], response_type="ephemeral",
                  replace_original=False, **extra)


async def _ack_private(ack: AsyncAck, text: str) -> None:
    await ack(text=escape(text), blocks=[mrkdwn(text)], response_type="ephemeral")


async def _ack_view(ack: AsyncAck, view: View) -> None:
    """A command's reply rides in the acknowledgement, sent once the command has committed."""
    if isinstance(view, PopPosted):
        await _ack_private(ack, render(view))  # the question itself went to the channel
        return
    reply = reply_for(view)
    await ack(text=reply.text, blocks=reply.blocks,
              response_type="in_channel" if reply.in_channel else "ephemeral")


def _our_value(action: dict[str, Any]) -> tuple[int, str] | None:
    """The (round, letters) a button carries; None when the value is not ours."""
    return parse_answer_value(str(action.get("value", "")))


class QuizListeners:
    """Turns /quiz and clicks into quiz.handle and quiz.answer; all state stays in the services.

    The app runs listeners before it responds (process_before_response), so Slack gets its 200
    only once the command or answer is committed. A click's private reply cannot ride in the
    acknowledgement; it follows through response_url as tracked work that shutdown waits for.
    """

    def __init__(self, deps: Deps, people: People, inflight: InFlight | None = None,
                 charts: ChartLinks | None = None) -> None:
        self.deps, self.people, self.charts = deps, people, charts
        self.inflight = inflight or InFlight()

    def register(self, app: AsyncApp) -> None:
        """Listen for /quiz, the answer buttons, the checkboxes and Submit."""
        app.command(COMMAND)(self.on_command)
        app.action(re.compile(rf"^{ANSWER_ACTION}_[A-H]$"))(self.on_answer)
        app.action(SUBMIT_ACTION)(self.on_submit)
        app.action(PICK_ACTION)(self.on_pick)

    async def on_command(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """Run the command, then acknowledge with its reply (Slack waits 3 seconds at most)."""
        team = body.get("team_id")
        try:
            where = where_of_command(body)
            who = await self.people.who(client, where.workspace, checked_id(body.get("user_id")),
                                        clean(body.get("user_name")))
            view = await quiz.handle(self.deps, where, who, clean(body.get("text"),
                                                                  TEXT_LENGTH))
            if isinstance(view, ExamQuestion | ExamResult):  # exams run in direct messages
                await to_direct_message(client, who.external_id, view)
                view = Notice(IN_YOUR_DMS)
        except QuizError as error:
            await _ack_private(ack, str(error))
            return
        except Exception:
            log.exception("/quiz %r failed in %s", clean(body.get("text"), 80), clean(team))
            await _ack_private(ack, APOLOGY)
            return
        if isinstance(view, StatsView) and self.charts is not None:
            reply = stats_reply_with_chart(view, self.charts, self.deps.clock.now())
            await ack(text=reply.text, blocks=reply.blocks, response_type="ephemeral")
            return
        await _ack_view(ack, view)

    async def on_answer(self, ack: AsyncAck, body: Body, action: dict[str, Any],
                        respond: AsyncRespond, client: AsyncWebClient) -> None:
        """A button of a one-answer question."""
        parsed = _our_value(action)
        if parsed is None:
            await self._reply_after(ack, respond, NOT_OURS)
            return
        await self._answer(ack, body, respond, client, *parsed)

    async def on_submit(self, ack: AsyncAck, body: Body, action: dict[str, Any],
                        respond: AsyncRespond, client: AsyncWebClient) -> None:
        """Submit under the checkboxes of a "choose two" question."""
        parsed = _our_value(action)
        if parsed is None:
            await self._reply_after(ack, respond, NOT_OURS)
            return
        letters = checked_letters(body, str(action.get("block_id", "")))
        if not letters:
            await self._reply_after(ack, respond, "Tick your choices first, then press Submit.")
            return
        await self._answer(ack, body, respond, client, parsed[0], letters)

    async def on_pick(self, ack: AsyncAck) -> None:
        """Ticking a checkbox only changes the message's state; Submit sends the answer."""
        await ack()

    async def _reply_after(self, ack: AsyncAck, respond: AsyncRespond, text: str) -> None:
        await ack()
        self.inflight.spawn(_private(respond, text), "slack-reply")

    async def _answer(self, ack: AsyncAck, body: Body, respond: AsyncRespond,
                      client: AsyncWebClient, round_id: int, letters: str) -> None:
        """Commit the answer, acknowledge, then send the private reply."""
        try:
            where = where_of_action(body)
            user_id, name = user_of_action(body)
            known = self.people.cached(where.workspace, user_id)
            who: Who = known or Who(user_id, name or user_id)
            view = await quiz.answer(self.deps, where, who, round_id, letters)
        except QuizError as error:
            await self._reply_after(ack, respond, str(error))
            return
        except Exception:
            log.exception("an answer to round %s failed", round_id)
            await self._reply_after(ack, respond, APOLOGY)
            return
        await ack()
        rename = None if known else self._rename(client, where, who)
        self.inflight.spawn(_reply_to_answer(respond, view, rename), "slack-receipt")

    async def _rename(self, client: AsyncWebClient, where: Where, who: Who) -> None:
        """A first click gave only the payload's handle: store the person's display name."""
        try:
            found = await asyncio.wait_for(
                self.people.who(client, where.workspace, who.external_id, who.display_name),
                NAME_LOOKUP_SECONDS)
            if found.display_name != who.display_name:
                await answering.rename_member(self.deps, where, found)
        except Exception as error:  # the name is cosmetic; the answer is stored
            log.info("could not look up %s's name: %r", who.external_id, error)


async def _reply_to_answer(respond: AsyncRespond, view: Receipt | Verdict,
                           rename: Coroutine[Any, Any, None] | None) -> None:
    if rename is not None:  # first, so a reveal right after the receipt shows the name
        await rename
    if isinstance(view, Verdict):  # practice: the verdict takes the buttons' place
        reply = reply_for(view)
        await respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral",
                      replace_original=True)
    else:
        await _private(respond, render(view))
