"""The same signed request sent to two processes has one effect."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from tests.chaos.processes import Bot
from tests.chaos.slack_traffic import (
    Slack,
    answerers,
    eventually,
    pop_round,
    serving,
    started,
)
from tests.platforms.slack.fake_slack import FakeSlack


async def test_a_request_replayed_to_another_process_has_one_effect(
        database_url: str, fake: FakeSlack, slack: Slack, db: asyncpg.Connection,
        bots: list[Bot], logs: Path) -> None:
    first = serving(database_url, fake, logs / "a.log")
    second = serving(database_url, fake, logs / "b.log")
    bots += [first, second]
    await started(first, second)
    practice_before = await db.fetchval("SELECT count(*) FROM rounds WHERE kind = 'practice'")

    practice = slack.command("U0ADA", "me", channel="C7")
    replies = await asyncio.gather(slack.send(first, practice), slack.send(second, practice))
    assert [status for status, _ in replies] == [200, 200]
    practice_after = await db.fetchval("SELECT count(*) FROM rounds WHERE kind = 'practice'")
    assert practice_after == practice_before + 1

    round_id, letters = await pop_round(slack, first, db, channel="C8")
    click = slack.click("U0BEA", round_id, letters, channel="C8")
    await slack.send(first, click)
    await slack.send(second, click)  # a replay within the window, to the other process
    assert await answerers(db, round_id) == {"U0BEA"}

    def receipts() -> list[dict[str, object]]:
        return [r for _, r in fake.responses if "is in" in str(r.get("text"))]

    async def receipt_sent() -> bool:  # the receipt follows the acknowledgement
        return bool(receipts())

    await eventually(receipt_sent, 10, "the click's receipt")
    assert len(receipts()) == 1
