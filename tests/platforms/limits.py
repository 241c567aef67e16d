"""Rate limits as the fake platforms enforce them: token buckets, one per key."""

from __future__ import annotations

import time
from collections.abc import Callable


class Buckets:
    """`rate` requests a second per key, with bursts of up to `burst`; refused requests do not
    count against the limit."""

    def __init__(self, rate: float, burst: int,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self._monotonic = rate, burst, monotonic
        self._state: dict[str, tuple[float, float]] = {}  # key → (tokens, at)

    def wait(self, key: str) -> float:
        """Seconds until the key may make a request (0.0: now); nothing is counted."""
        return max(0.0, (1.0 - self._tokens(key)) / self.rate)

    def take(self, key: str) -> None:
        """Count a request the key makes now."""
        self._state[key] = (self._tokens(key) - 1.0, self._monotonic())

    def remaining(self, key: str) -> int:
        """Whole requests the key may still make at once."""
        return max(0, int(self._tokens(key)))

    def _tokens(self, key: str) -> float:
        now = self._monotonic()
        tokens, at = self._state.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) * self.rate)


def floor_seconds(requests: int, rate: float, burst: int) -> float:
    """The earliest the last of `requests` requests under one key can be accepted."""
    return max(0, requests - burst) / rate
