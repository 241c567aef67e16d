"""One pass of the scheduler's sweep over many channels with nothing due, as a ratio to the
SQL floor measured in the same run."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.answer_book import SqlAnswerBook
from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_sessions
from bot.adapters.orm import ChannelRow, WorkspaceRow
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.services.deps import Deps
from bot.services.due import run_due

CHANNELS = 200


class NoPoster:
    """Nothing is due in a steady pass, so nothing may be posted."""

    async def post_question(self, *_: object) -> str:
        raise AssertionError("nothing should be due")

    post_reveal = post_board = post_question


async def measure(engine: AsyncEngine, clock: FrozenClock,
                  timed: object) -> tuple[float, float]:
    """(seconds of a sweep over CHANNELS channels with nothing due, SQL floor in seconds)."""
    async with engine.begin() as db:
        ws = (await db.execute(insert(WorkspaceRow).values(
            platform="bench", external_id="sweep", name="sweep", active=True,
            created_at=clock.now()).returning(WorkspaceRow.id))).scalar_one()
        await db.execute(insert(ChannelRow), [
            {"workspace_id": ws, "external_id": f"c{i}", "name": f"c{i}",
             "daily_time": "03:00", "zone": "UTC", "days": "0000000",  # no day is due
             "window_minutes": 480, "pop_window_minutes": 10, "topics": "",
             "weekly_day": None, "weekly_time": "16:00"} for i in range(CHANNELS)])
    sessions = make_sessions(engine)
    deps = Deps(uow=SqlUnitOfWorkFactory(sessions), answers=SqlAnswerBook(engine), clock=clock,
                leaderboard=SqlLeaderboard(sessions), poster=NoPoster(),  # type: ignore[arg-type]
                rng=random.Random(1))
    clock.advance(timedelta(seconds=1))

    async def select_one() -> None:
        async with engine.connect() as db:
            await db.execute(text("SELECT 1"))

    floor = await timed(select_one)  # type: ignore[operator]
    sweep = await timed(lambda: run_due(deps))  # type: ignore[operator]
    return sweep, floor
