"""The one place that builds the engine, cache, repositories, leaderboard and poster routing."""

from __future__ import annotations

import gc
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.adapters.answer_book import SqlAnswerBook
from bot.adapters.clock import SystemClock
from bot.adapters.database import make_engine, make_sessions, migrate
from bot.adapters.metrics import Metrics
from bot.adapters.posting import PosterRouter
from bot.adapters.question_files import content_hash, load_bank
from bot.adapters.runtime import Runtime
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.config import Settings
from bot.domain.errors import QuizError
from bot.domain.ports import Clock, Leaderboard
from bot.services.bank import SyncReport, sync_bank
from bot.services.deps import Deps
from bot.shipped import question_bank
from bot.worker import Deliverer, Lane, QuizScheduler

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.adapters.redis_leaderboard import RedisLeaderboard

SLACK, DISCORD = "slack", "discord"  # the platforms' names on their workspaces
SLACK_LANES = 2
# A Slack claim takes each workspace's next few posts (its turns), which its pacing spreads
# over about a second: big enough that one claim's cost is shared by many posts, small enough
# that the lanes of two workers share the workspaces.
SLACK_BATCH = 500
# A batch waits for its slowest post, and a workspace's posts go out a few a second: no lane
# takes more than a workspace's next 20 (in flight included), lest it sit on one workspace's
# posts for many seconds while other workspaces wait for a lane.
PER_WORKSPACE = 20
DEPTH = 2  # batches a lane posts at once: the next is claimed while one is going out


@asynccontextmanager
async def bootstrap(settings: Settings, clock: Clock | None = None,
                    rng: random.Random | None = None) -> AsyncIterator[Runtime]:
    """Build everything once; dispose of it on exit."""
    engine = make_engine(settings.database_url, settings.database_pool_size)
    sessions = make_sessions(engine)
    metrics = Metrics()
    router = PosterRouter(on_post=metrics.posted)
    clock = clock or SystemClock()
    sql_board = SqlLeaderboard(sessions)
    leaderboard: Leaderboard = sql_board
    redis: Redis | None = None
    redis_board: RedisLeaderboard | None = None
    if settings.redis_url:
        # Imported only when asked for: the Redis client is a tenth of a start's imports.
        from bot.adapters.redis_leaderboard import RedisLeaderboard, connect

        redis = connect(settings.redis_url)
        leaderboard = redis_board = RedisLeaderboard(redis, sql_board, clock)
    deps = Deps(uow=SqlUnitOfWorkFactory(sessions), answers=SqlAnswerBook(engine),
                clock=clock, leaderboard=leaderboard,
                poster=router, rng=rng or random.Random())
    try:
        yield Runtime(settings, engine, deps, router, redis, metrics)
    finally:
        if redis_board is not None:
            await redis_board.aclose()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()


async def prepare_database(runtime: Runtime) -> SyncReport:
    """Migrate to head and sync the question bank from the files."""
    key = runtime.settings.token_encryption_key
    await migrate(runtime.engine, token_key=key.get_secret_value() if key else None)
    return await sync_questions(runtime, question_bank(runtime.settings.questions_path))


async def sync_questions(runtime: Runtime, path: Path) -> SyncReport:
    """Load the question files and sync them; refuse to touch the database if any is invalid."""
    bank, problems = load_bank(path)
    if problems:
        listed = "\n".join(str(p) for p in problems[:20])
        raise QuizError(f"The question bank has {len(problems)} problem(s); nothing was synced:\n"
                        f"{listed}")
    return await sync_bank(runtime.deps.uow, bank.topics,
                           [(q, content_hash(q)) for q in bank.questions])


def delivery_lanes(settings: Settings) -> tuple[Lane, ...]:
    """One lane for any platform's posts, and lanes of their own for Slack (its limits are
    per workspace, so it can take many posts at once) and Discord (one limit for the bot)."""
    lanes = [Lane(per_workspace=PER_WORKSPACE, depth=DEPTH)]
    if settings.slack_bot_token or settings.slack_client_id:
        lanes += [Lane(SLACK, SLACK_BATCH, PER_WORKSPACE, DEPTH)] * SLACK_LANES
    if settings.discord_token:
        lanes.append(Lane(DISCORD, per_workspace=PER_WORKSPACE, depth=DEPTH))
    return tuple(lanes)


def settle_heap() -> None:
    """Leave what start-up built (modules, the bank, the ORM's tables) out of the garbage
    collector's full passes; call it once the process is set up."""
    # A full pass walks every object it tracks, and start-up leaves about 140,000 that live
    # as long as the process: on a busy worker each pass stalled the loop for up to 0.2 s
    # (12 passes, 2 s of a 20 s fan-out), and posts held up that long then went out together,
    # past the platform's burst. Frozen, they are never walked again (a pass took 0.06 s).
    # The price: a frozen object that later dies in a cycle is not freed, which start-up's
    # few such objects (a replaced connection) make a small, one-off cost.
    gc.collect()
    gc.freeze()


def make_scheduler(runtime: Runtime) -> QuizScheduler:
    """A worker's scheduling pass and deliverer, with board healing when there is Redis."""
    settings = runtime.settings
    deliverer = Deliverer(runtime.deps,
                          claim_for=timedelta(seconds=settings.delivery_claim_seconds),
                          lanes=delivery_lanes(settings),
                          # Slack's rate per workspace, shared by the workers in the database.
                          spacing={SLACK: timedelta(
                              seconds=60 / settings.slack_workspace_posts_per_minute)})
    return QuizScheduler(
        runtime.deps, AsyncIOScheduler(timezone=UTC), deliverer,
        # A board that heals (Redis's, rebuilt from SQL after a loss) is healed on each pass.
        getattr(runtime.deps.leaderboard, "heal", None),
        every=timedelta(seconds=settings.schedule_pass_seconds))
