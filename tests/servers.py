"""Where the test servers are: TEST_DATABASE_URL / TEST_REDIS_URL, or the standard local ports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def unavailable(what: str, hint: str) -> None:
    """Skip with a one-line hint; on CI a missing server is an error, not a skip."""
    message = f"{what} is not reachable: {hint}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _redacted(url: str) -> str:
    """A server URL without its password, fit for a skip message."""
    return make_url(url).render_as_string(hide_password=True)


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test run, dropped afterwards."""
    import asyncio

    import asyncpg

    url = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES))
    if not _reachable(url.host or "127.0.0.1", url.port or 5432):
        unavailable("PostgreSQL", "install postgresql (apt-get install postgresql) and start it, "
                    "or set TEST_DATABASE_URL")
    name = f"quizbot_test_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)

    async def run(sql: str) -> None:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def redis_server() -> Iterator[str]:
    """TEST_REDIS_URL, else the local Redis, else a throwaway redis-server if one is installed."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        parsed = make_url(url.replace("rediss://", "redis://", 1))
        if not _reachable(parsed.host or "127.0.0.1", parsed.port or 6379):
            unavailable("Redis", f"nothing answers at TEST_REDIS_URL={_redacted(url)}; start "
                        "redis-server there, or unset TEST_REDIS_URL to use a local one")
        yield url
        return
    if _reachable("127.0.0.1", 6379):
        yield DEFAULT_REDIS
        return
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("Redis", "install redis-server (apt-get install redis-server) "
                    "or set TEST_REDIS_URL")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(50):
                if _reachable("127.0.0.1", port):
                    break
                time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


class RedisProcess:
    """A throwaway redis-server on a fixed port that a test can stop and start again."""

    def __init__(self, binary: str, folder: str) -> None:
        self.binary, self.folder = binary, folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it and wait until it answers."""
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if _reachable("127.0.0.1", self.port):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop it; its data is gone, as after a crash of a cache without persistence."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def redis_process() -> Iterator[RedisProcess]:
    """A redis-server of our own, for tests that take Redis away."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server", "install redis-server (apt-get install redis-server)")
    assert binary is not None
    with tempfile.TemporaryDirectory() as folder:
        server = RedisProcess(binary, folder)
        server.start()
        try:
            yield server
        finally:
            server.stop()


async def forget_keys(client: object, pattern: str) -> None:
    """Delete a test's own Redis keys, so a shared Redis is left as it was found."""
    from redis.asyncio import Redis

    assert isinstance(client, Redis)
    keys = [key async for key in client.scan_iter(match=pattern)]
    if keys:
        await client.delete(*keys)
