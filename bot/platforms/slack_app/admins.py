"""Who clicked or typed: display name and admin rights from users.info, cached for a while."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.model import Who

log = logging.getLogger(__name__)
CACHE_SECONDS = 300.0  # admin rights rarely change; users.info is rate limited (Tier 4)
FAILURE_CACHE_SECONDS = 30.0  # short, so an admin whose lookup failed once is not kept out


class People:
    """Looks people up with users.info once per team and user every few minutes; lookups of
    the same person at once share one call (users.info is rate limited)."""

    def __init__(self, ttl: float = CACHE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._monotonic = ttl, monotonic
        self._cache: dict[tuple[str, str], tuple[float, Who]] = {}
        self._pending: dict[tuple[str, str], asyncio.Future[Who]] = {}

    def cached(self, team_id: str, user_id: str) -> Who | None:
        """The person as last looked up, without calling Slack (the answer path needs no
        admin rights); None when never looked up."""
        cached = self._cache.get((team_id, user_id))
        return Who(cached[1].external_id, cached[1].display_name) if cached else None

    async def who(self, client: AsyncWebClient, team_id: str, user_id: str,
                  fallback_name: str = "") -> Who:
        """The person; if Slack cannot say, they are not an admin and keep the payload's name."""
        key = (team_id, user_id)
        cached = self._cache.get(key)
        if cached is not None and cached[0] > self._monotonic():
            return cached[1]
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Who] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            who = await self._look_up(client, team_id, user_id, fallback_name)
            future.set_result(who)
            return who
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved here, so a lone lookup's failure is not reported
            raise
        finally:
            del self._pending[key]

    async def _look_up(self, client: AsyncWebClient, team_id: str, user_id: str,
                       fallback_name: str) -> Who:
        key = (team_id, user_id)
        now = self._monotonic()
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning("users.info failed for %s in %s: %s", user_id, team_id,
                        error.response.get("error") if error.response else error)
            # Remembered briefly too: a person Slack cannot describe (a missing scope, a
            # deleted user) must not cost a call per click.
            who = Who(user_id, fallback_name or user_id)
            self._cache[key] = (now + FAILURE_CACHE_SECONDS, who)
            return who
        who = who_from_user(response.get("user") or {}, user_id, fallback_name)
        self._cache[key] = (now + self._ttl, who)
        return who

    def forget(self, team_id: str) -> None:
        """Drop a team's cached people (it left, or its admins may have changed)."""
        for key in [k for k in self._cache if k[0] == team_id]:
            del self._cache[key]


def who_from_user(user: dict[str, Any], user_id: str, fallback_name: str = "") -> Who:
    """A users.info `user` object as a Who: workspace admins and owners are admins."""
    profile = user.get("profile") or {}
    name = (profile.get("display_name") or profile.get("real_name") or user.get("real_name")
            or user.get("name") or fallback_name or user_id)
    is_admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
    return Who(user_id, name, is_admin=is_admin)
