"""What a process still owes before it may exit: requests being answered and the work they
started after answering (a private reply sent through Slack's response_url)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ALWAYS_SERVED = frozenset({"/healthz", "/metrics"})  # liveness stays up while draining


class InFlight:
    """Counts requests in flight, tracks follow-up tasks, and drains both on shutdown."""

    def __init__(self) -> None:
        self.draining = False
        self._requests = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    def spawn(self, work: Coroutine[Any, Any, Any], name: str = "") -> asyncio.Task[Any]:
        """Run work after a response, and keep it so shutdown waits for it."""
        task = asyncio.create_task(work, name=name or None)
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("work after a response failed: %s", task.exception())
        self._check_idle()

    def _check_idle(self) -> None:
        if self._requests == 0 and not self._tasks:
            self._idle.set()

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """aiohttp middleware: 503 once draining (a load balancer moves on), else count."""
        if self.draining and request.path not in ALWAYS_SERVED:
            return web.Response(status=503, text="shutting down",
                                headers={"Connection": "close", "Retry-After": "1"})
        self._requests += 1
        self._idle.clear()
        try:
            return await handler(request)
        finally:
            self._requests -= 1
            self._check_idle()

    async def drain(self, budget: float) -> bool:
        """Stop taking requests and wait (up to `budget` seconds) for those in flight and
        their follow-up work; True when everything finished."""
        self.draining = True
        started = time.monotonic()
        try:
            await asyncio.wait_for(self._idle.wait(), budget)
        except TimeoutError:
            log.warning("shutdown: %s request(s) and %s task(s) still running after %.1f s",
                        self._requests, len(self._tasks), budget)
            return False
        log.info("shutdown: drained in %.2f s", time.monotonic() - started)
        return True


INFLIGHT = web.AppKey("inflight", InFlight)
