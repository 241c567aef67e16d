"""Register the slash commands only when their definitions differ from what Discord has.

Discord rate-limits command registration hard, so every start compares first: one GET of the
registered commands against the local tree, and a bulk PUT only when they differ.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)

# Fields that define a command or option, with Discord's default when it leaves one out.
_COMMAND_FIELDS: dict[str, Any] = {
    "name": None, "type": 1, "description": "", "default_member_permissions": None,
    "contexts": None, "integration_types": None, "nsfw": False, "options": [],
}
_OPTION_FIELDS: dict[str, Any] = {
    "name": None, "type": None, "description": "", "required": False, "choices": [],
    "autocomplete": False, "min_value": None, "max_value": None, "min_length": None,
    "max_length": None, "channel_types": [], "options": [],
}


def _shape(data: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    shaped = {key: default if data.get(key) is None else data[key]
              for key, default in fields.items()}
    options: list[dict[str, Any]] = shaped["options"]
    shaped["options"] = [_shape(option, _OPTION_FIELDS) for option in options]
    if "choices" in shaped:
        choices: list[dict[str, Any]] = shaped["choices"]
        shaped["choices"] = [{"name": c["name"], "value": c["value"]} for c in choices]
    return shaped


def definitions(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Commands reduced to what defines them, in a stable order, for comparison."""
    return sorted((_shape(c, _COMMAND_FIELDS) for c in commands), key=lambda c: c["name"])


async def sync_commands(tree: app_commands.CommandTree[Any], guild: discord.Object | None,
                        *, force: bool = False) -> bool:
    """Make Discord's commands match the tree (globally, or in one guild); True if it synced."""
    client = tree.client
    assert client.application_id is not None, "log in before syncing commands"
    local = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    where = f"guild {guild.id}" if guild else "every guild"
    if not force:
        if guild is None:
            remote = await client.http.get_global_commands(client.application_id)
        else:
            remote = await client.http.get_guild_commands(client.application_id, guild.id)
        if definitions(local) == definitions([dict(c) for c in remote]):
            log.info("slash commands for %s are up to date", where)
            return False
    synced = await tree.sync(guild=guild)
    log.info("synced %d slash command(s) to %s", len(synced), where)
    return True
