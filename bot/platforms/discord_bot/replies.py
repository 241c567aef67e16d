"""Answer an interaction: who and where it is, a reply in time, errors said kindly."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import discord

from bot.domain.errors import QuizError
from bot.domain.model import Where, Who
from bot.platforms.discord_bot.embeds import Reply

if TYPE_CHECKING:
    from bot.platforms.discord_bot.client import QuizClient

    Interaction: TypeAlias = discord.Interaction[QuizClient]
else:
    Interaction = discord.Interaction

log = logging.getLogger(__name__)

PLATFORM = "discord"
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
POSTED = "Done: posted to the channel."
ADMIN_ONLY = ("Only members with the Manage Server permission can change the quiz settings. "
              "Everyone can use `/quiz settings` to see them.")


def where_of(interaction: Interaction) -> Where:
    """The guild and channel of an interaction, as the services name them."""
    if interaction.guild_id is None or interaction.channel_id is None:
        raise QuizError("Use `/quiz` in a server channel.")
    guild_name = getattr(interaction.guild, "name", None) or ""
    channel_name = getattr(interaction.channel, "name", None) or ""
    return Where(PLATFORM, str(interaction.guild_id), str(interaction.channel_id),
                 guild_name, channel_name)


def is_admin(interaction: Interaction) -> bool:
    """Manage Server (or Administrator) in the permissions Discord computed for this member."""
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.administrator


def who_of(interaction: Interaction) -> Who:
    """The member behind an interaction."""
    user = interaction.user
    return Who(str(user.id), user.display_name, is_admin=is_admin(interaction))


async def answer_with(interaction: Interaction,
                      work: Callable[[Where, Who], Awaitable[Reply]]) -> None:
    """Run a service call and send its reply; defer when it outlasts the client's deadline.

    Discord drops an interaction that gets no response within 3 seconds, so a slow database
    turns into "thinking…" and a follow-up instead of a failed click.
    """
    started = time.monotonic()
    handled = getattr(interaction.client, "handled", None)
    if handled is not None and not await handled.claim(
            f"discord:{interaction.id}", interaction.client.deps.clock.now()):
        log.info("ignoring a repeated Discord interaction %s", interaction.id)
        return
    task = asyncio.ensure_future(_run(interaction, work))
    done, _ = await asyncio.wait({task}, timeout=interaction.client.reply_deadline)
    if not done:
        # Private while the outcome is unknown: the first follow-up keeps the deferral's
        # visibility, and a refusal or hint must reach only the one who asked.
        await interaction.response.defer(ephemeral=True, thinking=True)
        interaction.client.replied(time.monotonic() - started)
    await send(interaction, await task)
    if done:
        interaction.client.replied(time.monotonic() - started)


async def _run(interaction: Interaction,
               work: Callable[[Where, Who], Awaitable[Reply]]) -> Reply:
    try:
        return await work(where_of(interaction), who_of(interaction))
    except QuizError as error:
        return Reply(content=str(error))
    except Exception:
        log.exception("interaction %s failed", interaction.id)
        return Reply(content=SORRY)


async def send(interaction: Interaction, reply: Reply) -> None:
    """Send a reply as the interaction's response, or as a follow-up once deferred."""
    extra: dict[str, Any] = {}
    if reply.embed is not None:
        extra["embed"] = reply.embed
    if reply.view is not None:
        extra["view"] = reply.view
    if reply.file is not None:
        extra["file"] = reply.file
    content = reply.content or discord.utils.MISSING
    if interaction.response.is_done():
        if not reply.private:  # the private "thinking…" turns into a note; the news goes out
            await interaction.followup.send(POSTED, ephemeral=True)
        await interaction.followup.send(content, ephemeral=reply.private, **extra)
    else:
        await interaction.response.send_message(content, ephemeral=reply.private, **extra)


async def send_private(interaction: Interaction, text: str) -> None:
    """A one-line private reply, whether or not the interaction was answered before."""
    try:
        await send(interaction, Reply(content=text))
    except discord.HTTPException:
        log.exception("could not reply to interaction %s", interaction.id)
