"""The Slack platform for `quizbot run`: HTTP endpoints, or Socket Mode with an app token."""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.runtime import Runtime
from bot.config import Settings
from bot.domain.errors import QuizError
from bot.health import Status
from bot.platforms.chart_links import ChartLinks
from bot.platforms.chart_routes import mount_charts
from bot.platforms.inflight import INFLIGHT
from bot.platforms.slack_app.app import build_app
from bot.platforms.slack_app.payloads import PLATFORM
from bot.platforms.slack_app.poster import PER_CHANNEL_SPACING, SlackPoster
from bot.platforms.slack_app.routes import mount

log = logging.getLogger(__name__)


async def check_token(client: AsyncWebClient) -> None:
    """auth.test at start, so a wrong SLACK_BOT_TOKEN is one clear line, not a failure per post."""
    try:
        await client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error", "an error")
        raise QuizError(f"Slack refused SLACK_BOT_TOKEN ({code}). Copy the Bot User OAuth Token "
                        "(xoxb-…) from OAuth & Permissions into SLACK_BOT_TOKEN.") from None
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise QuizError(f"Cannot reach Slack at {client.base_url} ({error or type(error).__name__})"
                        "; check the network or SLACK_API_URL.") from None


def chart_links(settings: Settings) -> ChartLinks | None:
    """Chart links when the bot has a public address (PUBLIC_URL) to serve them from."""
    if not settings.public_url or not settings.slack_signing_secret:
        return None
    # The signing secret never leaves the server, so it can key the links' signatures too.
    return ChartLinks(settings.public_url, settings.slack_signing_secret.get_secret_value())


class SlackPlatform:
    """Serves Slack on the shared aiohttp app and posts for the scheduler."""

    name = PLATFORM

    def __init__(self, runtime: Runtime, web_app: web.Application,
                 spacing: float = PER_CHANNEL_SPACING, serve: bool = True) -> None:
        settings = runtime.settings
        metrics = runtime.metrics
        charts = chart_links(settings)
        self.app = build_app(settings, runtime.deps, runtime.engine,
                             inflight=web_app.get(INFLIGHT), charts=charts,
                             on_limited=lambda: metrics.limited(PLATFORM))
        # Each workspace's rate is kept by the deliverer, whose claims reserve every post's
        # start (SLACK_WORKSPACE_POSTS_PER_MINUTE, shared by the workers through the database).
        self.poster = SlackPoster(self.app.client, self.app.tokens, spacing,
                                  workspace_spacing=0)
        # A worker only posts: Slack's requests and Socket Mode events go to web processes.
        self._serve = serve
        app_token = settings.slack_app_token
        self._app_token = app_token.get_secret_value() if app_token and serve else None
        self._socket: AsyncSocketModeHandler | None = None
        self.runtime = runtime
        if serve:  # routes go on now: aiohttp freezes its router once the server is set up
            secret = settings.slack_signing_secret
            mount(web_app, self.app.bolt, secret.get_secret_value() if secret else "",
                  lambda seconds: metrics.replied(PLATFORM, seconds))
            if charts is not None:
                mount_charts(web_app, runtime.deps, charts)

    async def start(self) -> None:
        """Check the bot token, post through this platform; with SLACK_APP_TOKEN also connect
        Socket Mode."""
        if not self.app.oauth:
            await check_token(self.app.client)
        self.runtime.router.register(PLATFORM, self.poster)
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.app.bolt, self._app_token,
                                                  web_client=self.app.client)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack: connected in Socket Mode")
        elif self._serve:
            log.info("Slack: taking requests at /slack/events%s",
                     ", installs at /slack/install" if self.app.oauth else "")

    def status(self) -> Status:
        """Ready once started: Slack was reached at start, and it calls us, not we it."""
        return Status(True, "serving" if self._serve else "posting")

    async def stop(self) -> None:
        """Close Socket Mode if it is open, and the posts' HTTP session."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        await self.poster.close()
