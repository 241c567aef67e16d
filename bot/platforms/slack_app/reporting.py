""""Report a problem" on Slack: the button opens a modal, its one line becomes a report."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.errors import QuizError
from bot.domain.model import Where
from bot.domain.reports import REASON_LIMIT
from bot.platforms.slack_app.admins import People
from bot.platforms.slack_app.blocks import REPORT_ACTION, Block, escape
from bot.platforms.slack_app.payloads import PLATFORM, Body, where_of_action
from bot.platforms.slack_app.replies import APOLOGY
from bot.services import quiz
from bot.services.deps import Deps

log = logging.getLogger(__name__)
MODAL = "report_problem_modal"
REASON_BLOCK, REASON_INPUT = "reason", "reason_input"


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def report_modal(round_id: int, where: Where) -> dict[str, Any]:
    """The modal asking for one line; where the click came from rides in private_metadata."""
    metadata = json.dumps({"round": round_id, "team": where.workspace,
                           "channel": where.channel})
    return {"type": "modal", "callback_id": MODAL, "private_metadata": metadata,
            "title": _text("Report a problem"), "submit": _text("Report"),
            "close": _text("Cancel"),
            "blocks": [{"type": "input", "block_id": REASON_BLOCK,
                        "label": _text("What is wrong with this question?"),
                        "element": {"type": "plain_text_input", "action_id": REASON_INPUT,
                                    "max_length": REASON_LIMIT,
                                    "placeholder": _text("e.g. the answer should be C")}}]}


def thanks_modal(text: str) -> dict[str, Any]:
    """The modal after a report: what happened, in one section."""
    section: Block = {"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}
    return {"type": "modal", "title": _text("Report a problem"), "close": _text("Close"),
            "blocks": [section]}


class ReportListeners:
    """The button and the modal's submission; the report is stored by the services."""

    def __init__(self, deps: Deps, people: People) -> None:
        self.deps, self.people = deps, people

    def register(self, app: AsyncApp) -> None:
        """Listen for the button and the modal."""
        app.action(REPORT_ACTION)(self.on_button)
        app.view(MODAL)(self.on_submit)

    async def on_button(self, ack: AsyncAck, body: Body, action: dict[str, Any],
                        client: AsyncWebClient) -> None:
        """Open the modal; a value that is not a round id is ignored."""
        await ack()
        value = str(action.get("value", ""))
        if not value.isdigit() or len(value) > 9:
            return
        await client.views_open(trigger_id=body.get("trigger_id", ""),
                                view=report_modal(int(value), where_of_action(body)))

    async def on_submit(self, ack: AsyncAck, body: Body, view: dict[str, Any],
                        client: AsyncWebClient) -> None:
        """Store the report before closing the modal; a refusal shows under the field."""
        values = ((view.get("state") or {}).get("values") or {}).get(REASON_BLOCK) or {}
        reason = str((values.get(REASON_INPUT) or {}).get("value") or "")
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
            where = Where(PLATFORM, str(metadata["team"]), str(metadata["channel"]))
            user = body.get("user") or {}
            who = await self.people.who(client, where.workspace, str(user.get("id", "")),
                                        str(user.get("name") or user.get("username") or ""))
            notice = await quiz.report(self.deps, where, who, int(metadata["round"]), reason)
        except QuizError as error:
            await ack(response_action="errors", errors={REASON_BLOCK: str(error)})
            return
        except Exception:
            log.exception("a report could not be stored")
            await ack(response_action="errors", errors={REASON_BLOCK: APOLOGY})
            return
        await ack(response_action="update", view=thanks_modal(notice.text))
