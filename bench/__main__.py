"""`make bench`: every hot path beside a floor measured in the same run, and its goal.

Machines are shared and noisy, so each figure stands beside the cheapest thing that does the
same work on the same servers (a bare asyncpg INSERT, a Redis PING, SELECT 1, a bare Python
start), measured alongside. Uses a fresh database on TEST_DATABASE_URL's server (else the local
PostgreSQL) for each benchmark, and TEST_REDIS_URL (else the local Redis) with keys of its own.
`python -m bench --small` runs every benchmark at a size that only proves it still works;
`python -m bench answers` (or leaderboard, start, sweep) runs only the ones named.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bench import answer_path, fanout, leaderboard, scheduler_pass, start_size
from bench.report import Figure
from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_engine, migrate
from tests.servers import DEFAULT_REDIS, postgres_database

FULL = {"answers": 3000, "members": 1_000_000, "channels": 10_000, "starts": 5,
        "fanout": 10_000}
SMALL = {"answers": 60, "members": 2000, "channels": 50, "starts": 1, "fanout": 50}


async def sweep(url: str) -> list[Figure]:
    """The scheduling pass over channels with nothing due, beside SELECT 1."""
    engine = make_engine(url)
    await migrate(engine)

    async def timed(call: Callable[[], Awaitable[object]]) -> float:
        await call()
        samples = []
        for _ in range(30):
            started = time.perf_counter()
            await call()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    took, floor = await scheduler_pass.measure(
        engine, FrozenClock(datetime(2027, 3, 26, 12, 0, tzinfo=UTC)), timed)
    await engine.dispose()
    print(f"scheduling pass over {scheduler_pass.CHANNELS} channels with nothing due: "
          f"{took * 1e3:.2f} ms = {took / floor:.1f}x SELECT 1")
    return [Figure("scheduling pass, nothing due", f"{took / floor:.1f}x SELECT 1", "-", True)]


def run(sizes: dict[str, int], only: set[str] | None = None) -> list[Figure]:
    """Every benchmark (or those named in `only`), each on a database of its own."""
    redis_url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS)
    benchmarks: dict[str, Callable[[str], Awaitable[list[Figure]]]] = {
        "answers": lambda url: answer_path.measure(url, redis_url, answers=sizes["answers"]),
        "leaderboard": lambda url: leaderboard.measure(url, redis_url,
                                                       members=sizes["members"]),
        "start": lambda url: start_size.measure(url, channels=sizes["channels"],
                                                starts=sizes["starts"]),
        "sweep": sweep,
    }
    figures: list[Figure] = []
    for name, measure in benchmarks.items():
        if only and name not in only:
            continue
        with postgres_database() as url:
            figures += asyncio.run(measure(url))  # type: ignore[arg-type]
    if not only or "fanout" in only:
        figures += fan_out(sizes["fanout"])
    return figures


def fan_out(channels: int) -> list[Figure]:
    """The daily question to `channels` Slack and Discord channels, one worker then two."""
    report = asyncio.run(fanout.measure(channels))
    for line in fanout.render(report):
        print(line)
    figures = []
    for run_ in report.runs:
        for name, outcome in (("Slack", run_.slack), ("Discord", run_.discord)):
            if outcome is None:
                continue
            goal = fanout.GOAL * outcome.floor
            figures.append(Figure(
                f"fan-out {channels} {name}, {run_.workers} worker(s)",
                f"{outcome.seconds:.1f} s = {outcome.ratio:.2f}x the limits' floor",
                f"≤ {fanout.GOAL:g}x, nothing lost or doubled",
                outcome.seconds <= goal and not outcome.missing and not outcome.doubled))
    return figures


def main() -> None:
    """Print each benchmark as it runs, then the summary against the goals."""
    names = {a for a in sys.argv[1:] if not a.startswith("--")}
    figures = run(SMALL if "--small" in sys.argv else FULL, names or None)
    print("\nsummary (ok: meets its goal on this machine, this run)")
    for figure in figures:
        print(figure.line())


if __name__ == "__main__":
    main()
