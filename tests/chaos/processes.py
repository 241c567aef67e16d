"""Real `quizbot run` processes for chaos tests: started, probed, stopped the way deploys and
crashes stop them."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Bot:
    """One `python -m bot run` with its own environment and log file."""

    def __init__(self, env: dict[str, str], log: Path, args: tuple[str, ...] = ("run",)) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "PORT": str(self.port)}
        self.log = log
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it; its output goes to the log file."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "bot", *self.args], cwd=REPO,
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT)

    async def ready(self, timeout: float = 60, path: str = "/healthz") -> None:
        """Wait until `path` answers 200."""
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                assert self.process is not None and self.process.poll() is None, self.output()
                try:
                    async with http.get(f"http://127.0.0.1:{self.port}{path}") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"the bot never answered {path}:\n{self.output()}")

    async def get(self, path: str) -> tuple[int, Any]:
        """GET a path of the bot's HTTP server: the status and the JSON (or text) body."""
        async with aiohttp.ClientSession() as http, \
                http.get(f"http://127.0.0.1:{self.port}{path}") as response:
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.text()

    def signal(self, sig: signal.Signals) -> None:
        """SIGTERM (a deploy) or SIGKILL (a crash)."""
        assert self.process is not None
        self.process.send_signal(sig)

    async def exited(self, timeout: float) -> int:
        """Wait for the process to end; its exit code."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while (code := self.process.poll()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s:\n{self.output()}")
            await asyncio.sleep(0.05)
        return code

    def stop(self) -> None:
        """Make sure it is gone (test teardown)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self) -> str:
        """What it logged."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""
