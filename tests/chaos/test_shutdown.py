"""A deploy stops a process in the middle of a burst of clicks: nothing acknowledged is lost."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import asyncpg

from tests.chaos.processes import Bot
from tests.chaos.slack_traffic import Slack, answerers, pop_round, serving, started
from tests.platforms.slack.fake_slack import FakeSlack

CLICKS = 600


async def test_sigterm_during_a_burst_keeps_every_acknowledged_click_and_exits_in_10_s(
        database_url: str, fake: FakeSlack, slack: Slack, db: asyncpg.Connection,
        bots: list[Bot], logs: Path) -> None:
    bot = serving(database_url, fake, logs / "bot.log")
    bots.append(bot)
    await started(bot)
    round_id, letters = await pop_round(slack, bot, db)
    people = [f"U{n:05d}" for n in range(CLICKS)]
    burst = asyncio.gather(*(slack.send(bot, slack.click(person, round_id, letters))
                             for person in people))
    await asyncio.sleep(1)
    bot.signal(signal.SIGTERM)
    terminated = time.monotonic()
    statuses = [status for status, _ in await burst]
    assert await bot.exited(10) == 0
    assert time.monotonic() - terminated < 10
    acknowledged = {person for person, status in zip(people, statuses, strict=True)
                    if status == 200}
    assert acknowledged, "the burst should have been under way"
    assert acknowledged <= await answerers(db, round_id)
    assert set(statuses) <= {200, 503, 0}  # refused while draining, or after the exit
    log = bot.output()
    assert "Traceback" not in log
    assert "drained" in log
