"""GET /healthz (the process is alive) and GET /readyz (it can do its role's work now)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web
from sqlalchemy import text

from bot.adapters.runtime import Runtime

CHECK_TIMEOUT = 3.0  # a check slower than this counts as failed: a probe must answer quickly


@dataclass(frozen=True)
class Status:
    """One check's outcome: whether it passes, and what to tell the operator."""

    ok: bool
    detail: str = "ok"


class Checked(Protocol):
    """A platform that can say whether it is ready."""

    name: str

    def status(self) -> Status:
        """Its readiness now."""
        ...


@dataclass
class Readiness:
    """The checks behind /readyz: database, Redis if configured, platforms, scheduling pass."""

    runtime: Runtime
    platforms: Sequence[Checked] = field(default_factory=list)
    last_pass: Callable[[], float | None] | None = None  # monotonic time of the last pass
    pass_every: float = 5.0

    async def check(self) -> dict[str, Status]:
        """Each check by name."""
        results = {"database": await _timed(self._database())}
        if self.runtime.redis is not None:
            # Without Redis the bot still works (standings come from SQL): reported, not fatal.
            redis = await _timed(self._redis())
            results["redis"] = Status(True, "ok" if redis.ok else
                                      f"{redis.detail} (standings read from SQL meanwhile)")
        for platform in self.platforms:
            results[platform.name] = platform.status()
        if self.last_pass is not None:
            results["scheduling"] = self._scheduling()
        return results

    async def _database(self) -> None:
        async with self.runtime.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def _redis(self) -> None:
        assert self.runtime.redis is not None
        await self.runtime.redis.ping()

    def _scheduling(self) -> Status:
        assert self.last_pass is not None
        last = self.last_pass()
        if last is None:
            return Status(False, "no scheduling pass has finished yet")
        age = time.monotonic() - last
        # A pass may be slow once; several missed in a row mean the scheduler is stuck.
        stale_after = max(3 * self.pass_every, 30.0)
        return Status(age <= stale_after, f"last pass {age:.0f} s ago")


async def _timed(check: Awaitable[None]) -> Status:
    try:
        await asyncio.wait_for(check, CHECK_TIMEOUT)
    except TimeoutError:
        return Status(False, f"no answer within {CHECK_TIMEOUT:.0f} s")
    except Exception as error:
        return Status(False, f"{type(error).__name__}: {error}".splitlines()[0][:200])
    return Status(True)


def health_routes(web_app: web.Application, readiness: Readiness) -> None:
    """GET /healthz answers while the loop runs; GET /readyz runs the checks (503 if any fails)."""

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(_: web.Request) -> web.Response:
        results = await readiness.check()
        ready = all(status.ok for status in results.values())
        body = {"ready": ready, "checks": {name: {"ok": s.ok, "detail": s.detail}
                                           for name, s in results.items()}}
        return web.Response(text=json.dumps(body), status=200 if ready else 503,
                            content_type="application/json")

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
