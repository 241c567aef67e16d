"""Fan-out: a daily question due in the same minute in N Slack and N Discord channels, posted
by one worker and then by two (separate processes, separate engines) through local fakes that
enforce the platforms' limits; the time to deliver all of it beside what the limits allow.

Run it with `python -m bench.fanout [CHANNELS] [--slack-only] [--workers=1,2]` (10,000
channels, both platforms, one worker then two by default); it uses a
fresh database on TEST_DATABASE_URL's server (else the local PostgreSQL), dropped afterwards.
FANOUT_PROFILE=path writes each worker's cProfile stats to path.WORKERS.INDEX.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.fanout_seed import Layout, seed, this_minute
from bench.fanout_worker import Signals, Worker, run
from bot.adapters.database import make_engine
from bot.adapters.orm import DeliveryRow, RoundRow
from bot.bootstrap import bootstrap, prepare_database
from bot.config import Settings
from bot.domain.outbox import DeliveryStatus
from tests.platforms.discord.fake_api import DiscordLimits, FakeDiscord
from tests.platforms.slack.fake_slack import FakeSlack, SlackLimits
from tests.servers import postgres_database

CHANNELS = 10_000
PER_WORKSPACE = 100
GOAL = 1.2  # of the floor
DISCORD_SHARE = 0.9  # the bot's default: a tenth below the limit, for drift between workers
TWO_WORKERS_GOAL = 0.6  # of one worker's time, where the limits allow that
QUESTIONS = Path(__file__).resolve().parents[1] / "questions"


@dataclass(frozen=True)
class Limits:
    """What the fakes enforce."""

    slack: SlackLimits = field(default_factory=SlackLimits)
    discord: DiscordLimits = field(default_factory=DiscordLimits)


@dataclass(frozen=True)
class Outcome:
    """One platform's side of a run."""

    seconds: float  # from the minute's start until its last channel had its question
    floor: float  # the earliest the limits let the last one through
    missing: int  # channels without their question
    doubled: int  # channels with it more than once
    refused: int  # 429s the fake sent

    @property
    def ratio(self) -> float:
        """Time as a multiple of the floor."""
        return self.seconds / self.floor if self.floor else float("inf")


@dataclass(frozen=True)
class Run:
    """Both platforms, with some number of workers."""

    workers: int
    slack: Outcome
    discord: Outcome | None  # None: a run without Discord
    unreferenced: int  # daily rounds whose message reference was not stored
    cpu: list[float] = field(default_factory=list)  # each worker's CPU seconds


@dataclass(frozen=True)
class Report:
    """Every run of one measurement."""

    layout: Layout
    limits: Limits
    runs: list[Run]


async def measure(size: int = CHANNELS, limits: Limits | None = None,
                  workers: Sequence[int] = (1, 2),
                  per_workspace: int = PER_WORKSPACE, with_discord: bool = True) -> Report:
    """Fan a daily question out to `size` Slack and `size` Discord channels (or Slack's only),
    once per worker count, each on a fresh database."""
    layout = Layout(size, min(size, per_workspace), with_discord)
    limits = limits or Limits()
    return Report(layout, limits, [await _run(layout, limits, n) for n in workers])


async def _run(layout: Layout, limits: Limits, workers: int) -> Run:
    async with _fresh_database() as url, _fakes(layout, limits) as (slack, discord):
        await _prepare(url, layout)
        context = multiprocessing.get_context("spawn")
        signals = [Signals(context.Event(), context.Event(), context.Event(),
                           context.Value("d", 0.0)) for _ in range(workers)]
        profile = os.environ.get("FANOUT_PROFILE")
        # Configured as a deployment would be: Slack's rate per workspace, which the workers
        # share through the database, and a share of Discord's each.
        processes = [context.Process(target=run, args=(Worker(
            url, slack.api_url, discord.url if layout.with_discord else None,
            slack_per_minute=limits.slack.per_workspace * 60,
            discord_per_second=limits.discord.global_rate * DISCORD_SHARE / workers,
            profile=f"{profile}.{workers}.{i}" if profile else None), signals[i]))
            for i in range(workers)]
        for process in processes:
            process.start()
        try:
            for each in signals:
                if not await asyncio.to_thread(each.ready.wait, 120):
                    raise RuntimeError("the workers did not start")
            started = time.monotonic()
            for each in signals:
                each.go.set()
            slack_at, discord_at = await _delivered(
                layout, limits, slack, discord, started,
                lambda: all(p.is_alive() for p in processes))
            await _settled(url)
        finally:
            for each in signals:
                each.stop.set()
            for process in processes:
                await asyncio.to_thread(process.join, 30)
        return Run(workers,
                   _outcome(slack_at, limits.slack.floor(layout.per_workspace),
                            Counter({c: len(m) for c, m in slack.history.items()}),
                            layout.slack(), slack.refused),
                   _outcome(discord_at, limits.discord.floor(layout.channels),
                            Counter(m["channel_id"] for m in discord.messages.values()),
                            layout.discord(), discord.refused)
                   if layout.with_discord else None,
                   await _unreferenced(url), [each.cpu.value for each in signals])


@asynccontextmanager
async def _fresh_database() -> AsyncIterator[str]:
    database = postgres_database()  # creates and drops with asyncio.run: off this loop
    url = await asyncio.to_thread(database.__enter__)
    try:
        yield url
    finally:
        await asyncio.to_thread(database.__exit__, None, None, None)


@asynccontextmanager
async def _fakes(layout: Layout, limits: Limits) -> AsyncIterator[tuple[FakeSlack, FakeDiscord]]:
    slack, discord = FakeSlack(limits.slack), FakeDiscord(limits.discord)
    for team in layout.slack():
        slack.add_team(team, team)
    await slack.start()
    await discord.start()
    try:
        yield slack, discord
    finally:
        await discord.close()
        await slack.close()


async def _prepare(url: str, layout: Layout) -> None:
    settings = Settings(_env_file=None, database_url=url,
                        questions_path=str(QUESTIONS))
    async with bootstrap(settings) as runtime:
        await prepare_database(runtime)
        await seed(runtime.engine, layout, this_minute())


async def _delivered(layout: Layout, limits: Limits, slack: FakeSlack, discord: FakeDiscord,
                     started: float, working: Callable[[], bool]
                     ) -> tuple[float | None, float | None]:
    """Seconds until each platform had as many messages as channels (None: never)."""
    slack_at: float | None = None
    discord_at: float | None = None if layout.with_discord else 0.0
    give_up = started + 3 * max(limits.slack.floor(layout.per_workspace),
                                limits.discord.floor(layout.channels)) + 120
    while ((slack_at is None or discord_at is None) and time.monotonic() < give_up
           and working()):
        await asyncio.sleep(0.05)
        if slack_at is None and slack.posts >= layout.channels:
            slack_at = time.monotonic() - started
        if discord_at is None and len(discord.messages) >= layout.channels:
            discord_at = time.monotonic() - started
    return slack_at, discord_at


async def _settled(url: str, timeout: float = 60) -> None:
    """Wait until no question is pending, so that nothing posts after the count."""
    async with _engine(url) as engine:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            async with engine.connect() as db:
                pending = await db.scalar(select(func.count()).select_from(DeliveryRow).where(
                    DeliveryRow.status == DeliveryStatus.PENDING.value))
            if not pending:
                return
            await asyncio.sleep(0.2)


async def _unreferenced(url: str) -> int:
    async with _engine(url) as engine, engine.connect() as db:
        return int(await db.scalar(select(func.count()).select_from(RoundRow)
                                   .where(RoundRow.message_ref.is_(None))) or 0)


@asynccontextmanager
async def _engine(url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


def _outcome(seconds: float | None, floor: float, got: Counter[str],
             tenants: dict[str, list[str]], refused: int) -> Outcome:
    channels = [c for listed in tenants.values() for c in listed]
    return Outcome(seconds if seconds is not None else float("inf"), floor,
                   missing=sum(1 for c in channels if not got[c]),
                   doubled=sum(1 for c in channels if got[c] > 1), refused=refused)


def render(report: Report) -> list[str]:
    """The figures beside their floors and goals."""
    layout, limits = report.layout, report.limits
    lines = [
        f"fan-out: a daily question due in the same minute in {layout.channels} Slack channels "
        f"({layout.workspaces} workspaces × {layout.per_workspace})"
        f"{f' and {layout.channels} Discord channels' if layout.with_discord else ''}"
        ", on PostgreSQL",
        f"  limits: Slack {limits.slack.per_channel:g}/s per channel and "
        f"{limits.slack.per_workspace:g}/s per workspace (burst {limits.slack.workspace_burst}); "
        f"Discord {limits.discord.global_rate:g} requests/s (burst {limits.discord.global_burst})"]
    one: Run | None = None
    for run_ in report.runs:
        one = one or run_
        for name, outcome, alone in (("Slack", run_.slack, one.slack),
                                     ("Discord", run_.discord, one.discord)):
            if outcome is None or alone is None:
                continue
            goal = GOAL * outcome.floor
            # With two workers: about half of one worker's time, unless the limits forbid it.
            if run_ is not one and alone.seconds != float("inf"):
                goal = max(goal, TWO_WORKERS_GOAL * alone.seconds)
            verdict = "meets" if outcome.seconds <= goal else "misses"
            lines.append(
                f"  {run_.workers} worker{'s' if run_.workers > 1 else ' '} {name:8}"
                f"{outcome.seconds:7.1f} s  floor {outcome.floor:6.1f} s  "
                f"{outcome.ratio:5.2f}× the floor  goal ≤ {goal:6.1f} s ({verdict})  "
                f"429s {outcome.refused:5}  missing {outcome.missing}  doubled {outcome.doubled}")
        lines.append(f"  {run_.workers} worker{'s' if run_.workers > 1 else ' '} rounds "
                     f"without a message reference: {run_.unreferenced}; CPU seconds per "
                     f"worker: {', '.join(f'{s:.1f}' for s in run_.cpu)}")
    return lines


def main() -> None:
    """`python -m bench.fanout [CHANNELS] [--slack-only] [--workers=1,2]`: print the figures."""
    sizes = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    counts = [a.removeprefix("--workers=") for a in sys.argv if a.startswith("--workers=")]
    report = asyncio.run(measure(sizes[0] if sizes else CHANNELS,
                                 workers=[int(n) for n in counts[0].split(",")] if counts
                                 else (1, 2),
                                 with_discord="--slack-only" not in sys.argv))
    for line in render(report):
        print(line)


if __name__ == "__main__":
    main()
