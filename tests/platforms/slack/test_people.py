"""Who clicked: users.info is asked once per person at a time, and never per click."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.platforms.slack_app.admins import People


class CountingClient:
    """users.info that takes a moment and counts its calls."""

    def __init__(self, fail: bool = False) -> None:
        self.calls, self.fail = 0, fail

    async def users_info(self, user: str) -> dict[str, Any]:
        self.calls += 1
        await asyncio.sleep(0.01)
        if self.fail:
            raise SlackApiError("no", {"ok": False, "error": "missing_scope"})  # type: ignore[no-untyped-call]
        return {"user": {"id": user, "is_admin": True, "profile": {"display_name": "Ada"}}}


async def test_many_lookups_of_one_person_at_once_make_one_call() -> None:
    people, client = People(), CountingClient()
    found = await asyncio.gather(*(people.who(client, "T1", "U1")  # type: ignore[arg-type]
                                   for _ in range(50)))
    assert client.calls == 1
    assert {(who.display_name, who.is_admin) for who in found} == {("Ada", True)}
    assert people.cached("T1", "U1") is not None


async def test_a_person_slack_cannot_describe_is_not_asked_about_on_every_click() -> None:
    people, client = People(), CountingClient(fail=True)
    for _ in range(20):
        who = await people.who(client, "T1", "U1", "ada")  # type: ignore[arg-type]
    assert client.calls == 1
    assert (who.display_name, who.is_admin) == ("ada", False)

