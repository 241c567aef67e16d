"""Real processes stopped mid-post (SIGKILL, SIGTERM) while Slack is slow to answer, or while
posts Slack refused wait for a turn of their own: every daily question reaches its channel
exactly once, and only a question people saw is revealed."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.answer_book import SqlAnswerBook
from bot.adapters.database import make_engine, make_sessions, migrate
from bot.adapters.orm import ChannelRow, DeliveryRow
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.domain.model import Where, Who
from bot.domain.outbox import DeliveryStatus
from bot.services import quiz
from bot.services.deps import Deps
from tests.chaos.processes import Bot
from tests.platforms.slack.fake_slack import FakeSlack, bot_token
from tests.recording import RecordingPoster
from tests.servers import postgres_database

CHANNELS = ("C1", "C2", "C3")
ADMIN = Who("UADMIN", "ada", is_admin=True)
HELD = 8.0  # seconds Slack sits on each chat.postMessage
RETRY_AFTER = 4  # seconds Slack asks a refused chat.postMessage to wait


async def daily_question_due_now(engine: AsyncEngine) -> datetime:
    """Three channels whose daily question came due this minute, as if the schedule had been
    set yesterday; returns when its answer window closes (at least 25 s from now)."""
    sessions = make_sessions(engine)
    deps = Deps(uow=SqlUnitOfWorkFactory(sessions), answers=SqlAnswerBook(engine), clock=_Now(),
                leaderboard=SqlLeaderboard(sessions), poster=RecordingPoster())
    now = datetime.now(UTC)
    opens = now.replace(second=0, microsecond=0)
    window = 1 if now.second <= 35 else 2
    for channel in CHANNELS:
        where = Where("slack", "T1", channel, "Acme", channel.lower())
        await quiz.handle(deps, where, ADMIN, f"daily {opens:%H:%M} UTC daily")
        await quiz.handle(deps, where, ADMIN, f"window {window}m")
        await quiz.handle(deps, where, ADMIN, "weekly off")
    async with engine.begin() as connection:  # the pass finds it due, as at 09:00 sharp
        await connection.execute(update(ChannelRow).values(next_daily_at=opens,
                                                           next_due_at=opens))
    return opens + timedelta(minutes=window)


class _Now:
    def now(self) -> datetime:
        return datetime.now(UTC)


def bot(database: str, slack: FakeSlack, log: Path) -> Bot:
    """A `quizbot run` serving Slack for T1, with short intervals for the test."""
    return Bot({"DATABASE_URL": database, "SLACK_BOT_TOKEN": bot_token("T1"),
                "SLACK_SIGNING_SECRET": "chaos-secret", "SLACK_API_URL": slack.api_url,
                "SCHEDULE_PASS_SECONDS": "0.5", "DELIVERY_CLAIM_SECONDS": "2",
                "LOG_LEVEL": "INFO"}, log)


async def test_workers_stopped_while_slack_holds_their_posts_lose_and_double_nothing(
        tmp_path: Path) -> None:
    """SIGKILL (a crash) and SIGTERM (a deploy), side by side on databases of their own."""
    setting_up = asyncio.Lock()  # Alembic's context is process-wide: one migration at a time
    await asyncio.gather(*(stopped_mid_post(stop, tmp_path / stop.name, setting_up)
                           for stop in (signal.SIGKILL, signal.SIGTERM)))


async def stopped_mid_post(stop: signal.Signals, folder: Path, setting_up: asyncio.Lock) -> None:
    """Slack takes each post but answers only after HELD seconds; the worker is stopped
    before it hears back, and a second worker takes over."""
    async with two_workers(folder, setting_up) as (slack, _, first, second, closes):
        slack.hold("chat.postMessage", HELD, times=len(CHANNELS))
        # Slack has the posts; the worker never hears back.
        await stopped_once_it_has_posted(first, slack, stop)

        second.start()
        await second.ready()
        seconds_left = (closes - datetime.now(UTC)).total_seconds() + 30
        await slack.wait_until(lambda: len(slack.to("chat.update")) == len(CHANNELS),
                               timeout=seconds_left)
        for channel in CHANNELS:
            [question] = slack.posts_in(channel)  # once, whoever posted it
            assert question.get("edited"), f"{channel}: revealed in place"
        assert "Traceback" not in first.output() + second.output()


async def test_workers_stopped_while_refused_posts_wait_for_their_turn_lose_and_double_nothing(
        tmp_path: Path) -> None:
    """Slack refuses each post once (429, Retry-After); the worker is stopped while the posts
    wait for the turns it reserved them, and a second worker takes over."""
    setting_up = asyncio.Lock()
    await asyncio.gather(*(stopped_while_refused(stop, tmp_path / stop.name, setting_up)
                           for stop in (signal.SIGKILL, signal.SIGTERM)))


async def stopped_while_refused(stop: signal.Signals, folder: Path,
                                setting_up: asyncio.Lock) -> None:
    """Each channel's question is refused once; the first worker is stopped before its new
    turn, the second finds whatever is left."""
    async with two_workers(folder, setting_up) as (slack, engine, first, second, _):
        slack.throttle("chat.postMessage", RETRY_AFTER, times=len(CHANNELS))
        # Refused, and waiting for the turns it was given.
        await stopped_once_it_has_posted(first, slack, stop, pause=0.5)

        second.start()
        await second.ready()
        await slack.wait_until(lambda: all(slack.posts_in(c) for c in CHANNELS), timeout=30)
        await _settled(engine)
        for channel in CHANNELS:
            assert len(slack.posts_in(channel)) == 1, f"{channel}: posted once"
        assert "Traceback" not in first.output() + second.output()


async def stopped_once_it_has_posted(worker: Bot, slack: FakeSlack, stop: signal.Signals,
                                    pause: float = 0.0) -> None:
    """Start the worker, wait until it has sent every channel's post, `pause`, then stop it."""
    worker.start()
    await worker.ready()
    await slack.wait_until(lambda: len(slack.to("chat.postMessage")) == len(CHANNELS),
                           timeout=30)
    await asyncio.sleep(pause)
    worker.signal(stop)
    await worker.exited(timeout=15)


@asynccontextmanager
async def two_workers(folder: Path, setting_up: asyncio.Lock
                      ) -> AsyncIterator[tuple[FakeSlack, AsyncEngine, Bot, Bot, datetime]]:
    """A fake Slack, a database of its own with the daily question due (migrated under
    `setting_up`), and two bots not yet started; with when the question's window closes."""
    folder.mkdir()
    slack = FakeSlack()
    slack.add_team("T1", "Acme")
    await slack.start()
    async with fresh_database() as database:
        engine = make_engine(database)
        first, second = (bot(database, slack, folder / f"bot{n}.log") for n in (1, 2))
        try:
            async with setting_up:  # Alembic's context is process-wide: one at a time
                await migrate(engine)
                closes = await daily_question_due_now(engine)
            yield slack, engine, first, second, closes
        finally:
            first.stop()
            second.stop()
            await engine.dispose()
            await slack.close()


async def _settled(engine: AsyncEngine, timeout: float = 30) -> None:
    """Wait until no question is pending in the outbox: nothing more will be posted."""
    for _ in range(int(timeout / 0.1)):
        async with engine.connect() as connection:
            pending = await connection.scalar(
                select(func.count()).select_from(DeliveryRow)
                .where(DeliveryRow.status == DeliveryStatus.PENDING.value))
        if not pending:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("questions were still pending")


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """A PostgreSQL database of the caller's own (the helper runs its own event loop, so it
    is entered and left in a thread)."""
    fresh = postgres_database()
    database = await asyncio.to_thread(fresh.__enter__)
    try:
        yield database
    finally:
        await asyncio.to_thread(fresh.__exit__, None, None, None)
