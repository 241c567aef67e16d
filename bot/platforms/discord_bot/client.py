"""The discord.py client: minimal intents, the /quiz tree, answer buttons that outlive restarts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.handled_requests import SqlHandledRequests
from bot.config import Settings
from bot.platforms.discord_bot.commands import QuizGroup
from bot.platforms.discord_bot.components import AnswerButton, AnswerSelect
from bot.platforms.discord_bot.exam_components import ExamButton, ExamSelect
from bot.platforms.discord_bot.replies import ADMIN_ONLY, SORRY, send_private
from bot.platforms.discord_bot.reporting import ReportButton
from bot.platforms.discord_bot.sync import sync_commands
from bot.services.deps import Deps
from bot.services.workspaces import workspace_joined, workspace_left

log = logging.getLogger(__name__)

PLATFORM = "discord"
DISCORD_API = "https://discord.com/api/v10"
SyncMode = Literal["auto", "force", "never"]


def use_api_url(url: str | None, gateway: str | None = None) -> None:
    """Point every discord.py REST call (bot and interaction webhooks) at `url`, and the
    gateway at `gateway` when given.

    discord.py builds each URL from the class attributes Route.BASE and
    DiscordWebSocket.DEFAULT_GATEWAY, so this is process-wide; it is set when a client is built,
    never at import time.
    """
    Route.BASE = (url or DISCORD_API).rstrip("/")
    if gateway:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


def minimal_intents() -> discord.Intents:
    """Guild events only: slash commands and buttons need no message content or members."""
    return discord.Intents(guilds=True)


class QuizTree(app_commands.CommandTree["QuizClient"]):
    """The command tree; failed checks and surprises become short private replies."""

    async def on_error(self, interaction: discord.Interaction[QuizClient],
                       error: app_commands.AppCommandError) -> None:
        """Refuse politely; log what is not the user's doing."""
        if isinstance(error, app_commands.MissingPermissions):
            text = ADMIN_ONLY
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = "Use `/quiz` in a server channel."
        elif isinstance(error, app_commands.CheckFailure):
            text = str(error) or ADMIN_ONLY
        else:
            log.error("/quiz failed", exc_info=error)
            text = SORRY
        await send_private(interaction, text)


class QuizClient(discord.Client):
    """A Discord client that hands every interaction to the quiz services."""

    def __init__(self, deps: Deps, settings: Settings, *, sync: SyncMode = "auto",
                 **options: Any) -> None:
        super().__init__(intents=minimal_intents(), **options)
        self.deps = deps
        self.settings = settings
        self.sync_mode: SyncMode = sync
        self.tree = QuizTree(self)
        # Discord wants an answer within 3 s; past this many seconds we defer and follow up.
        self.reply_deadline = 2.0
        # Interactions already handled by any process (a gateway resume may replay one).
        self.handled: SqlHandledRequests | None = None
        self.on_reply: Callable[[float], None] | None = None

    def replied(self, seconds: float) -> None:
        """An interaction got its first answer (a reply or a deferral) after `seconds`."""
        if self.on_reply is not None:
            self.on_reply(seconds)

    @property
    def dev_guild(self) -> discord.Object | None:
        """The one guild commands go to while developing (DISCORD_DEV_GUILD), else None."""
        guild_id = self.settings.discord_dev_guild
        return discord.Object(guild_id) if guild_id else None

    async def setup_hook(self) -> None:
        """Register the answer buttons for every message ever posted, then the commands."""
        self.add_dynamic_items(AnswerButton, AnswerSelect, ReportButton, ExamButton, ExamSelect)
        self.tree.add_command(QuizGroup(), guild=self.dev_guild)
        if self.sync_mode != "never":
            await sync_commands(self.tree, self.dev_guild, force=self.sync_mode == "force")

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """A new guild is a new workspace (or an old one back again)."""
        await workspace_joined(self.deps, PLATFORM, str(guild.id), guild.name)
        log.info("joined guild %s (%s)", guild.name, guild.id)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        """A guild seen at start: the bot may have been added (or re-added) while it was down."""
        await workspace_joined(self.deps, PLATFORM, str(guild.id), guild.name)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Kicked or the guild was deleted: retire the workspace, keep its history."""
        await workspace_left(self.deps, PLATFORM, str(guild.id))
        log.info("left guild %s (%s)", guild.name, guild.id)


def build_client(deps: Deps, settings: Settings, sync: SyncMode = "auto",
                 shard_id: int | None = None,
                 handled: SqlHandledRequests | None = None) -> QuizClient:
    """A client for these settings, for one shard of DISCORD_SHARD_COUNT when `shard_id` is
    set; with `handled`, an interaction seen by any process before is not run again."""
    use_api_url(settings.discord_api_url, settings.discord_gateway_url)
    if shard_id is not None and (settings.discord_shard_count or 1) > 1:
        client = QuizClient(deps, settings, sync=sync, shard_id=shard_id,
                            shard_count=settings.discord_shard_count)
    else:
        client = QuizClient(deps, settings, sync=sync)
    client.handled = handled
    return client
