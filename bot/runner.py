"""`quizbot run`: one asyncio loop serving HTTP, the platforms and the scheduler, as its role
says."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import logging
import signal
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot.adapters.runtime import Runtime
from bot.bootstrap import bootstrap, make_scheduler, prepare_database, settle_heap
from bot.config import Settings
from bot.domain.errors import QuizError
from bot.health import Readiness, Status
from bot.health import health_routes as probe_routes
from bot.logs import AccessLogger, with_request_id
from bot.operator_errors import PortInUse, explain
from bot.platforms.inflight import INFLIGHT, InFlight
from bot.roles import Role

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
    """GET /healthz and /readyz for the platform's checks (while draining, the in-flight
    middleware answers /readyz with 503); GET /metrics for Prometheus."""
    probe_routes(web_app, readiness or Readiness(runtime))

    token = runtime.settings.metrics_token

    async def metrics(request: web.Request) -> web.Response:
        if token and not hmac.compare_digest(request.headers.get("Authorization", ""),
                                             f"Bearer {token.get_secret_value()}"):
            return web.Response(status=401, text="Send Authorization: Bearer METRICS_TOKEN.",
                                headers={"WWW-Authenticate": "Bearer"})
        await runtime.metrics.refresh(runtime.engine, runtime.deps.clock.now())
        return web.Response(body=runtime.metrics.render(),
                            content_type="text/plain", charset="utf-8")

    web_app.router.add_get("/metrics", metrics)


async def start_each(platforms: list[Platform], readiness: Readiness) -> list[Platform]:
    """Start every platform; one that cannot start (a wrong token) does not stop the others.
    The ones running are returned; if none is, the reasons are raised as one error."""
    running: list[Platform] = []
    failed: dict[str, str] = {}
    for platform in platforms:
        try:
            await platform.start()
        except Exception as error:
            reason = explain(error)
            if reason is None:
                log.exception("%s could not start", platform.name)
                reason = f"{type(error).__name__}: {error}"
            failed[platform.name] = reason
            continue
        running.append(platform)
        log.info("%s is running", platform.name)
    if not running:
        raise QuizError(" ".join(failed.values()))
    for name, reason in failed.items():
        log.error("%s is not running: %s", name, reason)
    readiness.platforms = [*running, *(Failed(name, reason) for name, reason in failed.items())]
    return running


@dataclass
class Failed:
    """A platform that could not start, as /readyz reports it."""

    name: str
    reason: str

    def status(self) -> Status:
        """Never ready: the operator has to fix its settings."""
        return Status(False, self.reason)


async def warn_if_redis_is_down(runtime: Runtime) -> None:
    """Redis down is no reason not to start (standings come from SQL), but say it once."""
    if runtime.redis is None:
        return
    try:
        await asyncio.wait_for(runtime.redis.ping(), 3)
    except Exception as error:
        log.warning("Redis (REDIS_URL) is not reachable (%s); leaderboards are read from SQL "
                    "until it is back. Start Redis or fix REDIS_URL.", error or "no answer")


async def serve(settings: Settings, stop: asyncio.Event | None = None,
                role: Role = Role.ALL) -> None:
    """Run until SIGINT/SIGTERM (or `stop` is set), then shut everything down in order."""
    stop = stop or asyncio.Event()
    async with bootstrap(settings) as runtime:
        await prepare_database(runtime)
        inflight = InFlight()
        web_app = web.Application(middlewares=[with_request_id, inflight.middleware])
        web_app[INFLIGHT] = inflight
        scheduler = make_scheduler(runtime)
        schedules = role.works and settings.scheduler_enabled
        platforms = platforms_for(runtime, web_app, role)
        readiness = Readiness(runtime, platforms,
                              (lambda: scheduler.last_pass) if schedules else None,
                              settings.schedule_pass_seconds)
        health_routes(runtime, web_app, readiness)
        if not platforms and role is Role.WEB and settings.discord_token:
            raise QuizError("The web role serves Slack only, and Slack is not set up: Discord "
                            "runs in workers (quizbot run --role worker).")
        if not platforms:
            raise QuizError("Nothing to run: set SLACK_SIGNING_SECRET with SLACK_BOT_TOKEN "
                            "(or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) for Slack, or "
                            "DISCORD_TOKEN for Discord. To play locally: quizbot play.")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await warn_if_redis_is_down(runtime)
        runner = web.AppRunner(web_app, access_log_class=AccessLogger,
                               shutdown_timeout=CLOSE_BUDGET, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, "0.0.0.0", settings.port).start()
        except OSError as error:
            await runner.cleanup()
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(settings.port) from None
            raise
        log.info("listening on port %s as %s", settings.port, role)
        try:
            platforms = await start_each(platforms, readiness)
            settle_heap()
            if schedules:
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
