"""Start and size: `quizbot run` from process start to /healthz answering (median of several
starts, no bank change), and its resident memory, with many channels on a schedule. The floor
is a bare `python -c "import aiohttp"` start measured in the same run."""

from __future__ import annotations

import asyncio
import compileall
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import text

from bench.report import Figure
from bot.adapters.database import make_engine, migrate
from tests.chaos.processes import REPO, free_port
from tests.platforms.slack.fake_slack import FakeSlack, bot_token

NOW = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)


async def seed_channels(url: str, channels: int) -> None:
    """Migrate, sync the bank once, and put `channels` channels on a daily schedule."""
    engine = make_engine(url)
    await migrate(engine)
    async with engine.begin() as db:
        ws = (await db.execute(text(
            "INSERT INTO workspaces (platform, external_id, name, active, created_at) "
            "VALUES ('slack', 'T1', 'bench', true, :at) RETURNING id"), {"at": NOW})
              ).scalar_one()
        await db.execute(text(
            "INSERT INTO channels (workspace_id, external_id, name, daily_time, zone, days, "
            "window_minutes, pop_window_minutes, topics, weekly_day, weekly_time) "
            "SELECT :ws, 'C' || n, 'channel ' || n, '09:30', 'Europe/Berlin', '1111100', "
            "480, 10, '', 4, '16:00' FROM generate_series(1, :n) AS n"),
            {"ws": ws, "n": channels})
    await engine.dispose()


def rss_megabytes(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_start(env: dict[str, str], port: int) -> tuple[float, float]:
    """(seconds from spawn to /healthz 200, RSS in MB two seconds after)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with aiohttp.ClientSession() as http:
            while True:
                if process.poll() is not None:
                    raise RuntimeError("quizbot run exited during the benchmark")
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.02)
        ready = time.perf_counter() - started
        await asyncio.sleep(2)  # the first scheduling pass runs meanwhile
        return ready, rss_megabytes(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=15)


async def bare_start() -> float:
    """The floor: starting Python and importing aiohttp."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", "import aiohttp")
    await process.wait()
    return time.perf_counter() - started


async def measure(url: str, channels: int = 10_000, starts: int = 5) -> list[Figure]:
    """Median start time of `starts` starts and the largest RSS, with `channels` scheduled."""
    await seed_channels(url, channels)
    fake = FakeSlack()
    fake.add_team("T1", "bench")  # `quizbot run` checks its token with auth.test at start
    await fake.start()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "LOG_LEVEL": "WARNING",
           "SLACK_SIGNING_SECRET": uuid.uuid4().hex, "SLACK_BOT_TOKEN": bot_token("T1"),
           "SLACK_API_URL": fake.api_url, "QUESTIONS_PATH": str(REPO / "questions")}
    # An installed bot starts from compiled bytecode (pip compiles what it installs); this
    # tree may run with PYTHONDONTWRITEBYTECODE set, where each start would compile it anew.
    compileall.compile_dir(REPO / "bot", quiet=1)
    try:
        await one_start(env, port)  # the first start syncs the bank; the measured ones do not
        runs = [await one_start(env, port) for _ in range(starts)]
    finally:
        await fake.close()
    floor = statistics.median([await bare_start() for _ in range(starts)])
    start = statistics.median(ready for ready, _ in runs)
    rss = max(size for _, size in runs)
    print(f"start and size: quizbot run with {channels:,} scheduled channels, {starts} starts")
    print(f"  start to /healthz median {start:.2f} s   floor (python -c 'import aiohttp') "
          f"{floor:.2f} s")
    print(f"  resident memory {rss:.0f} MB")
    return [Figure("start to /healthz, median", f"{start:.2f} s (floor {floor:.2f} s)", "< 2 s",
                   start < 2.0),
            Figure(f"RSS with {channels:,} scheduled channels", f"{rss:.0f} MB", "< 200 MB",
                   rss < 200)]
