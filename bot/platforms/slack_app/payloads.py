"""Read Slack's payloads: where a request comes from, and what a click picked."""

from __future__ import annotations

import re
from typing import Any

from bot.domain.errors import QuizError
from bot.domain.model import Where
from bot.platforms.slack_app.blocks import PICK_ACTION

PLATFORM = "slack"
Body = dict[str, Any]
SLACK_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # team, channel and user ids; columns hold 64
NAME_LENGTH = 200
TEXT_LENGTH = 1000
NOT_SLACK = "That request doesn't look like one from Slack, so I can't act on it."


def checked_id(value: object) -> str:
    """A Slack id as our columns can hold it; QuizError (a polite reply) otherwise."""
    text = str(value or "")
    if not SLACK_ID.fullmatch(text):
        raise QuizError(NOT_SLACK)
    return text


def clean(value: object, limit: int = NAME_LENGTH) -> str:
    """Free text from a payload without NUL bytes (PostgreSQL refuses them), cut to a limit."""
    return str(value or "").replace("\x00", "")[:limit]


def where_of_command(body: Body) -> Where:
    """The workspace and channel of a slash command; QuizError when the ids are not Slack's."""
    return Where(PLATFORM, checked_id(body.get("team_id")), checked_id(body.get("channel_id")),
                 clean(body.get("team_domain")), clean(body.get("channel_name")))


def where_of_action(body: Body) -> Where:
    """The workspace and channel of a click (block_actions); QuizError for ids not Slack's."""
    team = _object(body.get("team"))
    channel = _object(body.get("channel"))
    user = _object(body.get("user"))
    team_id = team.get("id") or user.get("team_id", "")
    return Where(PLATFORM, checked_id(team_id), checked_id(channel.get("id")),
                 clean(team.get("domain")), clean(channel.get("name")))


def user_of_action(body: Body) -> tuple[str, str]:
    """The clicking user's id and the name the payload gives."""
    user = _object(body.get("user"))
    return checked_id(user.get("id")), clean(user.get("name") or user.get("username"))


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def checked_letters(body: Body, block_id: str) -> str:
    """The letters ticked in the checkboxes of the block whose Submit was pressed."""
    values = ((body.get("state") or {}).get("values") or {}).get(block_id) or {}
    picked = (values.get(PICK_ACTION) or {}).get("selected_options") or []
    return "".join(str(option.get("value", "")) for option in picked)


def delivery_key(body: Body) -> str | None:
    """What makes a delivery unique: the event id, or an interaction's trigger id."""
    key = body.get("event_id") or body.get("trigger_id")
    return str(key) if key else None
