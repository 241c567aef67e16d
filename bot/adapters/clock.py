"""Clocks: the real one, and one that starts at a chosen moment for demos and tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SystemClock:
    """The machine's time in UTC."""

    def now(self) -> datetime:
        """Now."""
        return datetime.now(UTC)


class ShiftedClock:
    """Starts at a given instant and runs with real time; `advance` jumps ahead."""

    def __init__(self, start: datetime) -> None:
        self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        """The shifted time."""
        return datetime.now(UTC) + self._offset

    def advance(self, by: timedelta) -> None:
        """Jump forward."""
        self._offset += by

    def set(self, moment: datetime) -> None:
        """Jump to an instant; time runs on from there."""
        self._offset = moment - datetime.now(UTC)


class FrozenClock:
    """Time stands still until moved; for tests and scripted demos."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        """The set time."""
        return self._now

    def advance(self, by: timedelta) -> None:
        """Jump forward."""
        self._now += by

    def set(self, moment: datetime) -> None:
        """Jump to an instant."""
        self._now = moment
