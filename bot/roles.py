"""What one `quizbot run` process does: serve requests, do the background work, or both."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """`web` serves Slack over HTTP; `worker` runs the scheduling pass, the deliverer and the
    Discord gateway; `all` (a small install) does both. Every role serves the health routes."""

    ALL = "all"
    WEB = "web"
    WORKER = "worker"

    @property
    def serves(self) -> bool:
        """Whether this process takes Slack's HTTP requests (and Socket Mode events)."""
        return self in (Role.ALL, Role.WEB)

    @property
    def works(self) -> bool:
        """Whether this process runs the scheduling pass, the deliverer and Discord."""
        return self in (Role.ALL, Role.WORKER)
