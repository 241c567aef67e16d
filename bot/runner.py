"""`quizbot run`: one asyncio loop serving HTTP, the platforms and the scheduler, as its role
says."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Protocol

from aiohttp import web

from bot.adapters.metrics import render as render_metrics
from bot.bootstrap import Runtime, bootstrap, make_scheduler, prepare_database
from bot.config import Settings
from bot.domain.errors import QuizError
from bot.health import Readiness, Status
from bot.health import health_routes as probe_routes
from bot.roles import Role

log = logging.getLogger(__name__)


class Platform(Protocol):
    """A chat platform the bot serves; it registers its poster with the runtime's router."""

    name: str

    async def start(self) -> None:
        """Connect and begin taking events (must return once running)."""
        ...

    async def stop(self) -> None:
        """Disconnect cleanly."""
        ...

    def status(self) -> Status:
        """Whether it is ready, for /readyz."""
        ...


def platforms_for(runtime: Runtime, web_app: web.Application,
                  role: Role = Role.ALL) -> list[Platform]:
    """The platforms whose credentials are set, as far as the role needs them: Slack serves in
    web processes and posts from workers; Discord (its gateway and its posts) lives in workers."""
    settings = runtime.settings
    chosen: list[Platform] = []
    if settings.slack_signing_secret and (settings.slack_bot_token or settings.slack_client_id):
        from bot.platforms.slack_app.platform import SlackPlatform

        chosen.append(SlackPlatform(runtime, web_app, serve=role.serves))
    if settings.discord_token and role.works:
        from bot.platforms.discord_bot.platform import DiscordPlatform

        chosen.append(DiscordPlatform(runtime))
    return chosen


def health_routes(runtime: Runtime, web_app: web.Application,
                  readiness: Readiness | None = None) -> None:
    """GET /healthz and /readyz for the platform's checks; GET /metrics for Prometheus."""
    probe_routes(web_app, readiness or Readiness(runtime))

    async def metrics(_: web.Request) -> web.Response:
        text = await render_metrics(runtime.engine, runtime.deps.clock.now())
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    web_app.router.add_get("/metrics", metrics)


async def serve(settings: Settings, stop: asyncio.Event | None = None,
                role: Role = Role.ALL) -> None:
    """Run until SIGINT/SIGTERM (or `stop` is set), then shut everything down in order."""
    stop = stop or asyncio.Event()
    async with bootstrap(settings) as runtime:
        await prepare_database(runtime)
        web_app = web.Application()
        scheduler = make_scheduler(runtime)
        schedules = role.works and settings.scheduler_enabled
        platforms = platforms_for(runtime, web_app, role)
        readiness = Readiness(runtime, platforms,
                              (lambda: scheduler.last_pass) if schedules else None,
                              settings.schedule_pass_seconds)
        health_routes(runtime, web_app, readiness)
        if not platforms:
            raise QuizError("Nothing to run: set SLACK_SIGNING_SECRET with SLACK_BOT_TOKEN "
                            "(or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) for Slack, or "
                            "DISCORD_TOKEN for Discord. To play locally: quizbot play.")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(web_app)
        await runner.setup()
        await web.TCPSite(runner, "0.0.0.0", settings.port).start()
        log.info("listening on port %s as %s", settings.port, role)
        try:
            for platform in platforms:
                await platform.start()
                log.info("%s is running", platform.name)
            if schedules:
                await scheduler.start()
            await stop.wait()
        finally:
            await scheduler.stop()
            for platform in reversed(platforms):
                with contextlib.suppress(Exception):
                    await platform.stop()
            await runner.cleanup()
