"""Read Slack's payloads: where a request comes from, and what a click picked."""

from __future__ import annotations

from typing import Any

from bot.domain.model import Where
from bot.platforms.slack_app.blocks import PICK_ACTION

PLATFORM = "slack"
Body = dict[str, Any]


def where_of_command(body: Body) -> Where:
    """The workspace and channel of a slash command."""
    return Where(PLATFORM, body.get("team_id", ""), body.get("channel_id", ""),
                 body.get("team_domain", ""), body.get("channel_name", ""))


def where_of_action(body: Body) -> Where:
    """The workspace and channel of a click (block_actions)."""
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    user = body.get("user") or {}
    team_id = team.get("id") or user.get("team_id", "")
    return Where(PLATFORM, team_id, channel.get("id", ""), team.get("domain", ""),
                 channel.get("name", ""))


def user_of_action(body: Body) -> tuple[str, str]:
    """The clicking user's id and the name the payload gives."""
    user = body.get("user") or {}
    return user.get("id", ""), user.get("name") or user.get("username") or ""


def checked_letters(body: Body, block_id: str) -> str:
    """The letters ticked in the checkboxes of the block whose Submit was pressed."""
    values = ((body.get("state") or {}).get("values") or {}).get(block_id) or {}
    picked = (values.get(PICK_ACTION) or {}).get("selected_options") or []
    return "".join(str(option.get("value", "")) for option in picked)


def delivery_key(body: Body) -> str | None:
    """What makes a delivery unique: the event id, or an interaction's trigger id."""
    key = body.get("event_id") or body.get("trigger_id")
    return str(key) if key else None
