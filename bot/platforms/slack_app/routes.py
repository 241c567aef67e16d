"""Slack's three URLs on the process's aiohttp server."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.platforms.slack_app.installs import INSTALL_PATH, REDIRECT_PATH

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
ONE_WORKSPACE = ("This quiz bot serves one workspace (SLACK_BOT_TOKEN). To install it in others, "
                 "set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.")


def mount(web_app: web.Application, bolt: AsyncApp, signing_secret: str,
          replied: Callable[[float], None] | None = None) -> None:
    """POST /slack/events for commands, clicks and events; GET install and OAuth redirect.
    `replied` hears how long each request took to answer (Slack gives up after 3 s)."""
    verifier = SignatureVerifier(signing_secret)

    async def events(request: web.Request) -> web.Response:
        started = time.monotonic()
        response = await answer(request)
        if replied is not None:
            replied(time.monotonic() - started)
        return response

    async def answer(request: web.Request) -> web.Response:
        # Check the signature before anything parses the body: an unsigned request costs the
        # access log's one line, never a traceback.
        try:
            body = await request.text()
        except UnicodeDecodeError:
            return web.Response(status=400, text="malformed body")
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or not verifier.is_valid(
                body, timestamp, signature):
            log.debug("refused a request to %s without a valid Slack signature", EVENTS_PATH)
            return web.Response(status=401, text="invalid signature")
        try:
            bolt_request = await to_bolt_request(request)
            if not isinstance(bolt_request.body, dict):
                raise ValueError("not an object")
        except (ValueError, TypeError, AttributeError):  # signed, yet not a body Slack sends
            log.debug("refused a signed request whose body is not Slack's")
            return web.Response(status=400, text="malformed body")
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    def oauth(step: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            flow = bolt.oauth_flow
            if flow is None:  # one workspace from SLACK_BOT_TOKEN: nothing to install
                return await to_aiohttp_response(BoltResponse(status=404, body=ONE_WORKSPACE))
            handler = getattr(flow, step)
            return await to_aiohttp_response(await handler(await to_bolt_request(request)))

        return handle

    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get(INSTALL_PATH, oauth("handle_installation"))
    web_app.router.add_get(REDIRECT_PATH, oauth("handle_callback"))
