"""`quizbot run`: one asyncio loop serving HTTP, the platforms and the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Protocol

from aiohttp import web

from bot.adapters.metrics import render as render_metrics
from bot.adapters.runtime import Runtime
from bot.bootstrap import bootstrap, make_scheduler, prepare_database
from bot.config import Settings
from bot.domain.errors import QuizError
from bot.platforms.inflight import INFLIGHT, InFlight

log = logging.getLogger(__name__)
DRAIN_BUDGET = 7.0  # seconds for requests and their follow-ups; the whole exit stays under 10
CLOSE_BUDGET = 1.0  # seconds aiohttp waits for connections once the drain is over


class Platform(Protocol):
    """A chat platform the bot serves; it registers its poster with the runtime's router."""

    name: str

    async def start(self) -> None:
        """Connect and begin taking events (must return once running)."""
        ...

    async def stop(self) -> None:
        """Disconnect cleanly."""
        ...


def platforms_for(runtime: Runtime, web_app: web.Application) -> list[Platform]:
    """The platforms whose credentials are set."""
    settings = runtime.settings
    chosen: list[Platform] = []
    if settings.slack_signing_secret and (settings.slack_bot_token or settings.slack_client_id):
        from bot.platforms.slack_app.platform import SlackPlatform

        chosen.append(SlackPlatform(runtime, web_app))
    if settings.discord_token:
        from bot.platforms.discord_bot.platform import DiscordPlatform

        chosen.append(DiscordPlatform(runtime))
    return chosen


def health_routes(runtime: Runtime, web_app: web.Application) -> None:
    """GET /healthz answers when the database does; GET /readyz says 503 while draining;
    GET /metrics for Prometheus."""

    async def healthz(_: web.Request) -> web.Response:
        async with runtime.deps.uow() as uow:
            await uow.workspaces.get(0)
        return web.Response(text="ok")

    async def metrics(_: web.Request) -> web.Response:
        text = await render_metrics(runtime.engine, runtime.deps.clock.now())
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    async def readyz(_: web.Request) -> web.Response:
        return web.Response(text="ready")  # while draining the in-flight middleware says 503

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", metrics)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or `stop` is set), then shut everything down in order."""
    stop = stop or asyncio.Event()
    async with bootstrap(settings) as runtime:
        await prepare_database(runtime)
        inflight = InFlight()
        web_app = web.Application(middlewares=[inflight.middleware])
        web_app[INFLIGHT] = inflight
        health_routes(runtime, web_app)
        platforms = platforms_for(runtime, web_app)
        if not platforms:
            raise QuizError("Nothing to run: set SLACK_SIGNING_SECRET with SLACK_BOT_TOKEN "
                            "(or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) for Slack, or "
                            "DISCORD_TOKEN for Discord. To play locally: quizbot play.")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(web_app, shutdown_timeout=CLOSE_BUDGET, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, "0.0.0.0", settings.port).start()
        log.info("listening on port %s", settings.port)
        scheduler = make_scheduler(runtime)
        try:
            for platform in platforms:
                await platform.start()
                log.info("%s is running", platform.name)
            if settings.scheduler_enabled:
                await scheduler.start()
            await stop.wait()
        finally:
            # Durable before acknowledged: answer what came in, finish what it started. The
            # requests and the posts drain side by side, so the exit stays within 10 s.
            await asyncio.gather(inflight.drain(DRAIN_BUDGET), scheduler.stop())
            for platform in reversed(platforms):
                with contextlib.suppress(Exception):
                    await platform.stop()
            await runner.cleanup()
