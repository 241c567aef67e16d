"""One bot worker of the fan-out benchmark, in a process of its own: the real bootstrap,
posters and scheduler (scheduling pass and deliverer), pointed at the fake platforms."""

from __future__ import annotations

import asyncio
import cProfile
import logging
import time
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event

import discord

from bot.bootstrap import bootstrap, make_scheduler, settle_heap
from bot.config import Settings
from bot.platforms.discord_bot.client import PLATFORM as DISCORD
from bot.platforms.discord_bot.client import use_api_url
from bot.platforms.discord_bot.poster import DiscordPoster
from bot.platforms.slack_app.app import web_client
from bot.platforms.slack_app.installs import PLATFORM as SLACK
from bot.platforms.slack_app.installs import StoreTokens, installation_store
from bot.platforms.slack_app.poster import SlackPoster

CLIENT_ID = "111.222"
DISCORD_TOKEN = "bench-token"


@dataclass(frozen=True)
class Worker:
    """Where a worker finds the database and the platforms."""

    database_url: str
    slack_api_url: str
    discord_api_url: str | None  # None: no Discord
    slack_per_minute: float  # SLACK_WORKSPACE_POSTS_PER_MINUTE
    discord_per_second: float  # DISCORD_REQUESTS_PER_SECOND
    profile: str | None = None  # write cProfile stats here


@dataclass(frozen=True)
class Signals:
    """ready: set up and waiting; go: the minute has come; stop: everything was delivered;
    cpu: the CPU seconds the worker spent between go and stop."""

    ready: Event
    go: Event
    stop: Event
    cpu: Synchronized[float]


def run(worker: Worker, signals: Signals) -> None:
    """A process's entry: work until told to stop."""
    logging.basicConfig(level=logging.ERROR)
    if worker.profile is None:
        asyncio.run(_work(worker, signals))
        return
    profiler = cProfile.Profile()
    profiler.runcall(asyncio.run, _work(worker, signals))
    profiler.dump_stats(worker.profile)


async def _work(worker: Worker, signals: Signals) -> None:
    with_discord = worker.discord_api_url is not None
    settings = Settings(
        _env_file=None, database_url=worker.database_url, slack_api_url=worker.slack_api_url,
        slack_client_id=CLIENT_ID, slack_client_secret="secret",
        discord_token=DISCORD_TOKEN if with_discord else None,
        discord_api_url=worker.discord_api_url,
        slack_workspace_posts_per_minute=worker.slack_per_minute,
        discord_requests_per_second=worker.discord_per_second)
    async with bootstrap(settings) as runtime:
        slack = SlackPoster(web_client(settings),
                            StoreTokens(installation_store(CLIENT_ID, runtime.engine)),
                            workspace_spacing=0)  # the deliverer's claims pace workspaces
        runtime.router.register(SLACK, slack)
        client = discord.Client(intents=discord.Intents.none())
        if worker.discord_api_url is not None:
            use_api_url(worker.discord_api_url)
            await client.login(DISCORD_TOKEN)
            runtime.router.register(DISCORD, DiscordPoster(
                client, settings.discord_requests_per_second))
        scheduler = make_scheduler(runtime)
        settle_heap()  # as `quizbot run` does once it is set up
        signals.ready.set()
        await asyncio.to_thread(signals.go.wait)
        started = time.process_time()
        await scheduler.start()
        await asyncio.to_thread(signals.stop.wait)
        signals.cpu.value = time.process_time() - started
        await scheduler.stop()
        await slack.close()
        await client.close()
