"""Slack redelivers what it thinks we missed; each delivery is handled once."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from slack_bolt.response import BoltResponse

from bot.platforms.slack_app.payloads import Body, delivery_key

log = logging.getLogger(__name__)
REMEMBERED = 10_000


class Deliveries:
    """Remembers recent event and trigger ids, so a retry is acknowledged and dropped.

    This keeps a retry from posting twice; scoring twice is impossible anyway, since the
    database keeps one answer per round and member.
    """

    def __init__(self, size: int = REMEMBERED) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def first_time(self, key: str) -> bool:
        """True the first time a key is seen."""
        if key in self._seen:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True

    async def middleware(self, body: Body,
                         next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        """Bolt middleware: run a delivery the first time only; ack repeats with 200."""
        key = delivery_key(body)
        if key is not None and not self.first_time(key):
            log.info("ignoring a repeated Slack delivery %s", key)
            return BoltResponse(status=200, body="")
        return await next()
