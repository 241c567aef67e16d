"""Slack redelivers what it thinks we missed, and a request may be replayed to any process;
each delivery is handled once, remembered in SQL for the replay window."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.response import BoltResponse

from bot.adapters.handled_requests import SqlHandledRequests
from bot.domain.ports import Clock
from bot.platforms.slack_app.payloads import Body, delivery_key

log = logging.getLogger(__name__)


class Deliveries:
    """Claims each event id or trigger id before it runs; a repeat is acknowledged and dropped.

    A claim whose handling failed is released, so Slack's retry runs it. Scoring twice is
    impossible anyway: the database keeps one answer per round and member.
    """

    def __init__(self, handled: SqlHandledRequests, clock: Clock) -> None:
        self._handled, self._clock = handled, clock

    async def middleware(self, body: Body,
                         next: Callable[[], Awaitable[BoltResponse | None]]
                         ) -> BoltResponse | None:
        """Bolt middleware: run a delivery the first time only; ack repeats with 200."""
        key = delivery_key(body)
        if key is None:
            return await next()
        key = f"slack:{key}"
        if not await self._handled.claim(key, self._clock.now()):
            log.info("ignoring a repeated Slack delivery %s", key)
            return BoltResponse(status=200, body="")
        try:
            response = await next()
        except BaseException:
            await self._handled.release(key)
            raise
        if response is not None and response.status >= 500:
            await self._handled.release(key)
        return response
