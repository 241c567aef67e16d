"""The Slack platform for `quizbot run`: HTTP endpoints, or Socket Mode with an app token."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from bot.adapters.runtime import Runtime
from bot.config import Settings
from bot.platforms.chart_links import ChartLinks
from bot.platforms.chart_routes import mount_charts
from bot.platforms.inflight import INFLIGHT
from bot.platforms.slack_app.app import build_app
from bot.platforms.slack_app.payloads import PLATFORM
from bot.platforms.slack_app.poster import PER_CHANNEL_SPACING, SlackPoster
from bot.platforms.slack_app.routes import mount

log = logging.getLogger(__name__)


def chart_links(settings: Settings) -> ChartLinks | None:
    """Chart links when the bot has a public address (PUBLIC_URL) to serve them from."""
    if not settings.public_url or not settings.slack_signing_secret:
        return None
    # The signing secret never leaves the server, so it can key the links' signatures too.
    return ChartLinks(settings.public_url, settings.slack_signing_secret)


class SlackPlatform:
    """Serves Slack on the shared aiohttp app and posts for the scheduler."""

    name = PLATFORM

    def __init__(self, runtime: Runtime, web_app: web.Application,
                 spacing: float = PER_CHANNEL_SPACING) -> None:
        settings = runtime.settings
        charts = chart_links(settings)
        self.app = build_app(settings, runtime.deps, runtime.engine,
                             inflight=web_app.get(INFLIGHT), charts=charts)
        self.poster = SlackPoster(self.app.client, self.app.tokens, spacing)
        self._app_token = settings.slack_app_token
        self._socket: AsyncSocketModeHandler | None = None
        self._runtime = runtime
        # Routes go on now: aiohttp freezes its router once the server is set up.
        mount(web_app, self.app.bolt, settings.slack_signing_secret or "")
        if charts is not None:
            mount_charts(web_app, runtime.deps, charts)

    async def start(self) -> None:
        """Post through this platform; with SLACK_APP_TOKEN also connect Socket Mode."""
        self._runtime.router.register(PLATFORM, self.poster)
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.app.bolt, self._app_token,
                                                  web_client=self.app.client)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack: connected in Socket Mode")
        else:
            log.info("Slack: taking requests at /slack/events%s",
                     ", installs at /slack/install" if self.app.oauth else "")

    async def stop(self) -> None:
        """Close Socket Mode if it is open."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
