"""DiscordPlatform: what `quizbot run` starts when DISCORD_TOKEN is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.adapters.handled_requests import SqlHandledRequests
from bot.adapters.runtime import Runtime
from bot.domain.errors import QuizError
from bot.platforms.discord_bot.client import PLATFORM, QuizClient, SyncMode, build_client
from bot.platforms.discord_bot.poster import DiscordPoster

log = logging.getLogger(__name__)

NO_TOKEN = ("Set DISCORD_TOKEN to the bot token from the Discord developer portal "
            "(Bot → Reset Token).")


class DiscordPlatform:
    """Owns one discord.py client: REST login, the gateway connection, and its poster."""

    name = PLATFORM

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.client: QuizClient | None = None
        self._gateway: asyncio.Task[None] | None = None

    async def open(self, sync: SyncMode = "auto") -> QuizClient:
        """Log in over REST (registering buttons and, if changed, commands) and start posting.

        Everything but the gateway: tests feed gateway events to the client themselves.
        """
        token = self.runtime.settings.discord_token
        if not token:
            raise QuizError(NO_TOKEN)
        client = build_client(self.runtime.deps, self.runtime.settings, sync,
                              SqlHandledRequests(self.runtime.engine))
        try:
            await client.login(token)
        except BaseException:
            await client.close()
            raise
        self.client = client
        self.runtime.router.register(PLATFORM, DiscordPoster(client))
        return client

    async def start(self) -> None:
        """Log in, then keep the gateway connection in the background of the same loop."""
        client = await self.open()
        self._gateway = asyncio.create_task(client.connect(), name="discord-gateway")
        self._gateway.add_done_callback(_report_gateway_end)

    async def stop(self) -> None:
        """Close the gateway and the HTTP session."""
        if self.client is not None:
            await self.client.close()
        if self._gateway is not None:
            # A gateway still waiting out a reconnect backoff would keep shutdown waiting.
            self._gateway.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._gateway
        self.client, self._gateway = None, None


def _report_gateway_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the Discord gateway connection ended", exc_info=task.exception())
