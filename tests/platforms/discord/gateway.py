"""Gateway events in Discord's documented shapes, fed through discord.py's own parsers.

There is no websocket in the tests: `feed` hands a raw dispatch payload to the same
ConnectionState parser the gateway would call, so discord.py builds the Guild and Interaction
objects itself.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from typing import Any

import discord

from tests.platforms.discord.fake_api import APP_ID

MANAGE_GUILD = 1 << 5
EVERYONE = 1 << 11 | 1 << 10 | 1 << 31  # send messages, view channel, use application commands
_ids = itertools.count(1_200_000_000_000_000_000)


def snowflake() -> str:
    """A fresh id for payloads the test makes up."""
    return str(next(_ids))


@dataclass(frozen=True)
class Person:
    """A member of a guild, with the permissions Discord computes for them."""

    id: str
    name: str
    permissions: int = EVERYONE

    def payload(self) -> dict[str, Any]:
        """The interaction's `member` object (a guild member with its user)."""
        return {"user": {"id": self.id, "username": self.name.lower(), "discriminator": "0",
                         "global_name": self.name, "avatar": None},
                "roles": [], "joined_at": "2027-01-01T00:00:00+00:00", "deaf": False,
                "mute": False, "flags": 0, "pending": False, "nick": None,
                "permissions": str(self.permissions)}


@dataclass(frozen=True)
class Place:
    """A text channel in a guild."""

    guild: str
    channel: str
    guild_name: str = "AWS Study Group"
    channel_name: str = "quiz"


def guild_create(place: Place, owner: Person) -> dict[str, Any]:
    """GUILD_CREATE as Discord sends it when the bot joins a guild (no `unavailable` key)."""
    return {
        "id": place.guild, "name": place.guild_name, "icon": None, "owner_id": owner.id,
        "features": [], "emojis": [], "stickers": [], "member_count": 3, "large": False,
        "joined_at": "2027-03-26T08:00:00+00:00", "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "afk_timeout": 300,
        "roles": [{"id": place.guild, "name": "@everyone", "permissions": str(EVERYONE),
                   "position": 0, "color": 0, "hoist": False, "managed": False,
                   "mentionable": False, "flags": 0}],
        "channels": [{"id": place.channel, "type": 0, "name": place.channel_name,
                      "position": 0, "permission_overwrites": [], "nsfw": False,
                      "parent_id": None, "topic": None, "rate_limit_per_user": 0,
                      "last_message_id": None, "flags": 0}],
        "members": [], "voice_states": [], "presences": [], "threads": [],
        "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
    }


def interaction(kind: int, place: Place, who: Person, data: dict[str, Any],
                message: dict[str, Any] | None = None) -> dict[str, Any]:
    """INTERACTION_CREATE: 2 a slash command, 3 a component click, 4 autocomplete."""
    payload: dict[str, Any] = {
        "id": snowflake(), "application_id": str(APP_ID), "type": kind, "data": data,
        "guild_id": place.guild, "channel_id": place.channel,
        "channel": {"id": place.channel, "type": 0, "name": place.channel_name,
                    "guild_id": place.guild, "position": 0, "permission_overwrites": [],
                    "nsfw": False, "parent_id": None, "flags": 0},
        "guild": {"id": place.guild, "locale": "en-US", "features": []},
        "member": who.payload(), "token": f"token-{snowflake()}", "version": 1,
        "app_permissions": str(EVERYONE), "locale": "en-US", "guild_locale": "en-US",
        "entitlements": [], "authorizing_integration_owners": {"0": place.guild},
        "context": 0, "attachment_size_limit": 10_485_760,
    }
    if message is not None:
        payload["message"] = message
    return payload


_OPTION_TYPES = {str: 3, bool: 5}


def command(subcommand: str, **options: str | bool | Person) -> dict[str, Any]:
    """The `data` of `/quiz <subcommand> option:value …`."""
    given: list[dict[str, Any]] = []
    resolved: dict[str, Any] = {}
    for name, value in options.items():
        if isinstance(value, Person):
            given.append({"name": name, "type": 6, "value": value.id})
            member = value.payload()
            resolved = {"users": {value.id: member.pop("user")}, "members": {value.id: member}}
        else:
            given.append({"name": name, "type": _OPTION_TYPES[type(value)], "value": value})
    data = {"id": snowflake(), "name": "quiz", "type": 1,
            "options": [{"name": subcommand, "type": 1, "options": given}]}
    if resolved:
        data["resolved"] = resolved
    return data


def autocomplete(subcommand: str, option: str, typed: str) -> dict[str, Any]:
    """The `data` of an autocomplete request while typing one option."""
    return {"id": snowflake(), "name": "quiz", "type": 1, "options": [
        {"name": subcommand, "type": 1,
         "options": [{"name": option, "type": 3, "value": typed, "focused": True}]}]}


def button(custom_id: str) -> dict[str, Any]:
    """The `data` of a button click."""
    return {"custom_id": custom_id, "component_type": 2}


def select(custom_id: str, values: list[str]) -> dict[str, Any]:
    """The `data` of a select menu choice."""
    return {"custom_id": custom_id, "component_type": 3, "values": values}


def feed(client: discord.Client, event: str, data: dict[str, Any]) -> None:
    """Dispatch one gateway event through discord.py's connection-state parser."""
    client._connection.parsers[event](data)


async def settle() -> None:
    """Wait for the tasks discord.py started for events, commands and clicks to finish."""
    names = ("discord.py: ", "CommandTree-invoker", "discord-ui-")
    for _ in range(50):
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()
                   and t.get_name().startswith(names)]
        if not pending:
            return
        await asyncio.wait(pending, timeout=10)
