"""DiscordPlatform: what `quizbot run` starts when DISCORD_TOKEN is set."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.adapters.handled_requests import SqlHandledRequests
from bot.adapters.metrics import RateLimitCounter
from bot.adapters.runtime import Runtime
from bot.adapters.shard_locks import LocalShardLocks, shard_locks_for
from bot.domain.errors import QuizError
from bot.health import Status
from bot.platforms.discord_bot.client import PLATFORM, QuizClient, SyncMode, build_client
from bot.platforms.discord_bot.poster import DiscordPoster
from bot.platforms.discord_bot.shards import SETTLE, Shard, ShardKeeper

log = logging.getLogger(__name__)

NO_TOKEN = ("Set DISCORD_TOKEN to the bot token from the Discord developer portal "
            "(Bot → Reset Token).")


class DiscordPlatform:
    """Owns the posting client (REST only) and the gateway clients of the shards it holds."""

    name = PLATFORM

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.client: QuizClient | None = None
        self.keeper: ShardKeeper | None = None
        self._rate_limits = RateLimitCounter(runtime.metrics)

    def _replied(self, seconds: float) -> None:
        self.runtime.metrics.replied(PLATFORM, seconds)

    async def open(self, sync: SyncMode = "auto") -> QuizClient:
        """Log in over REST (registering buttons and, if changed, commands) and start posting.

        Everything but the gateway: tests feed gateway events to the client themselves.
        """
        secret = self.runtime.settings.discord_token
        if not secret:
            raise QuizError(NO_TOKEN)
        token = secret.get_secret_value()
        client = build_client(self.runtime.deps, self.runtime.settings, sync,
                              handled=SqlHandledRequests(self.runtime.engine))
        try:
            await client.login(token)
        except discord.LoginFailure:
            await client.close()
            raise QuizError("Discord refused DISCORD_TOKEN. Copy the bot token from the "
                            "developer portal (Bot → Reset Token) into DISCORD_TOKEN.") from None
        except (aiohttp.ClientError, OSError) as error:
            await client.close()
            raise QuizError(f"Cannot reach Discord ({error}); check the network or "
                            "DISCORD_API_URL.") from None
        except BaseException:
            await client.close()
            raise
        self.client = client
        client.on_reply = self._replied
        self.runtime.router.register(PLATFORM, DiscordPoster(
            client, self.runtime.settings.discord_requests_per_second))
        return client

    async def start(self) -> None:
        """Log in (posting needs no gateway), then keep this worker's shards connected."""
        await self.open()
        logging.getLogger("discord.http").addFilter(self._rate_limits)
        settings = self.runtime.settings
        locks = shard_locks_for(self.runtime.engine)
        self.keeper = ShardKeeper(
            locks, settings.discord_shard_count or 1, settings.discord_shards_per_worker,
            self._open_shard, settings.shard_claim_seconds,
            settle=0.0 if isinstance(locks, LocalShardLocks) else SETTLE)
        await self.keeper.start()

    async def stop(self) -> None:
        """Close the shards' gateways, then the posting client's HTTP session."""
        if self.keeper is not None:
            await self.keeper.stop()
            self.keeper = None
        if self.client is not None:
            await self.client.close()
        self.client = None
        logging.getLogger("discord.http").removeFilter(self._rate_limits)

    def status(self) -> Status:
        """Ready when every shard this worker holds has its gateway session up."""
        if self.keeper is None:
            return Status(False, "not started")
        held, down = self.keeper.held(), self.keeper.disconnected()
        shards = ", ".join(map(str, held)) or "none"
        if down:
            return Status(False, f"shards {shards}; not connected: {', '.join(map(str, down))}")
        return Status(True, f"shards {shards}")

    async def _open_shard(self, shard_id: int) -> Shard:
        secret = self.runtime.settings.discord_token
        assert secret is not None  # open() refused to start without one
        token = secret.get_secret_value()
        client = build_client(self.runtime.deps, self.runtime.settings, "never", shard_id,
                              SqlHandledRequests(self.runtime.engine))
        try:
            await client.login(token)
        except BaseException:
            await client.close()
            raise
        client.on_reply = self._replied
        gateway = asyncio.create_task(client.connect(), name=f"discord-shard-{shard_id}")
        gateway.add_done_callback(_report_gateway_end)
        return Shard(shard_id, client, gateway)


def _report_gateway_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the Discord gateway connection ended", exc_info=task.exception())
