"""chat.postMessage straight through the client's aiohttp session.

A fan-out makes thousands of these calls, and slack_sdk's general request handling (argument
processing, request and retry bookkeeping on every call) cost about as much CPU as the request
itself: about 0.35 ms of 1 ms a call, measured against the fake Slack. The answer is the same
AsyncSlackResponse, validated the same way (an error raises SlackApiError), and failures are
retried by the client's own retry handlers (429s waited out and counted), as slack_sdk would;
a caller that paces the posts itself may take the 429s back instead (RateLimited).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.domain.ports import RateLimited

METHOD = "chat.postMessage"
LONGEST_WAIT = 60.0  # seconds: a Retry-After beyond this is taken as this


class CountedRateLimits(AsyncRateLimitErrorRetryHandler):
    """Waits out a 429 like its parent, and tells `on_limited` first."""

    def __init__(self, on_limited: Callable[[], None] | None, **options: Any) -> None:
        super().__init__(**options)
        self.on_limited = on_limited

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None,
                               error: Exception | None = None) -> bool:
        """Count the 429, then decide as slack_sdk does."""
        if response is not None and response.status_code == 429:
            self.counted()
        return await super()._can_retry_async(state=state, request=request,
                                              response=response, error=error)

    def counted(self) -> None:
        """Tell `on_limited` of a 429."""
        if self.on_limited:
            self.on_limited()


async def post_message(client: AsyncWebClient, session: aiohttp.ClientSession, token: str,
                       arguments: dict[str, Any],
                       hand_back_limits: bool = False) -> AsyncSlackResponse:
    """Post a message with `token`; retried as the client's retry handlers say, but for a 429
    when `hand_back_limits` (counted, then raised as RateLimited)."""
    url = f"{client.base_url}{METHOD}"
    headers = {"Authorization": f"Bearer {token}",
               "Content-Type": "application/json;charset=utf-8"}
    body = json.dumps(arguments)
    state = RetryState()
    while True:
        answer: HttpResponse | None = None
        failed: Exception | None = None
        try:
            async with session.post(url, data=body, headers=headers) as response:
                data = await response.json(content_type=None)
                if response.status != 429:
                    return _validated(client, url, data, response.status)
                if hand_back_limits:
                    _count_limited(client)
                    raise RateLimited(_seconds(response.headers.get("Retry-After")))
                answer = HttpResponse(status_code=response.status,
                                      headers=dict(response.headers), body=data)
        except aiohttp.ClientError as error:
            failed = error
        if not await _retried(client, state, HttpRequest(
                method="POST", url=url, headers=dict(headers), body_params=arguments),
                answer, failed):
            if failed is not None:
                raise failed
            assert answer is not None
            return _validated(client, url, answer.body or {}, answer.status_code)


def _validated(client: AsyncWebClient, url: str, data: dict[str, Any],
               status: int) -> AsyncSlackResponse:
    """The response as slack_sdk would return it; SlackApiError unless Slack said ok."""
    response = AsyncSlackResponse(client=client, http_verb="POST", api_url=url, req_args={},
                                  data=data, headers={}, status_code=status)
    response.validate()  # type: ignore[no-untyped-call]
    return response


async def _retried(client: AsyncWebClient, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None, error: Exception | None) -> bool:
    """Whether a handler takes the failure on (having waited as it should)."""
    for handler in client.retry_handlers:
        if await handler.can_retry_async(state=state, request=request, response=response,
                                         error=error):
            await handler.prepare_for_next_attempt_async(state=state, request=request,
                                                         response=response, error=error)
            return True
    return False


def _count_limited(client: AsyncWebClient) -> None:
    for handler in client.retry_handlers:
        if isinstance(handler, CountedRateLimits):
            handler.counted()


def _seconds(retry_after: str | None) -> float:
    """Retry-After in seconds (Slack sends whole seconds), at most a minute; one when it says
    nothing usable."""
    try:
        seconds = float(retry_after or 1)
    except ValueError:
        return 1.0
    return min(max(seconds, 0.0), LONGEST_WAIT) if math.isfinite(seconds) else 1.0
