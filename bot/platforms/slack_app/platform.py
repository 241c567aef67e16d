"""The Slack platform for `quizbot run`: HTTP endpoints, or Socket Mode with an app token."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from bot.bootstrap import Runtime
from bot.platforms.slack_app.app import build_app
from bot.platforms.slack_app.payloads import PLATFORM
from bot.platforms.slack_app.poster import PER_CHANNEL_SPACING, SlackPoster
from bot.platforms.slack_app.routes import mount

log = logging.getLogger(__name__)


class SlackPlatform:
    """Serves Slack on the shared aiohttp app and posts for the scheduler."""

    name = PLATFORM

    def __init__(self, runtime: Runtime, web_app: web.Application,
                 spacing: float = PER_CHANNEL_SPACING) -> None:
        settings = runtime.settings
        self.app = build_app(settings, runtime.deps, runtime.engine)
        self.poster = SlackPoster(
            self.app.client, self.app.tokens, spacing,
            workspace_spacing=60 / settings.slack_workspace_posts_per_minute)
        self._app_token = settings.slack_app_token
        self._socket: AsyncSocketModeHandler | None = None
        self._runtime = runtime
        # Routes go on now: aiohttp freezes its router once the server is set up.
        mount(web_app, self.app.bolt)

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
        """Close Socket Mode if it is open, and the posts' HTTP session."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        await self.poster.close()
