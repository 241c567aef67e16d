"""The outbox: posts committed with what they belong to, sent later by any deliverer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class DeliveryKind(StrEnum):
    """What a delivery posts."""

    QUESTION = "question"
    REVEAL = "reveal"
    BOARD = "board"


class DeliveryStatus(StrEnum):
    """Pending until the platform has it (done) or it can never go out (dropped)."""

    PENDING = "pending"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Delivery:
    """One post to one channel: a round's question or reveal, or a week's board."""

    id: int
    workspace_id: int
    channel_id: int
    kind: DeliveryKind
    created_at: datetime
    round_id: int | None = None
    week: tuple[int, int] | None = None  # ISO year and week of a board
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0  # tries started, this one included once claimed
    claimed_until: datetime | None = None
    message_ref: str | None = None
    # When the workspace's rate lets the post start, as its claim reserved it (None: at once).
    send_at: datetime | None = None

    @property
    def key(self) -> str:
        """A stable name for the post, so a platform can recognise a second try of it."""
        if self.kind is DeliveryKind.BOARD:
            assert self.week is not None
            return f"board:{self.channel_id}:{self.week[0]}-{self.week[1]}"
        return f"{self.kind}:{self.round_id}"

    @property
    def maybe_posted(self) -> bool:
        """An earlier try may have reached the platform (its process died mid-request)."""
        return self.attempts > 1


# A reveal or board that fails for a passing reason is tried again for this long.
RETRY_FOR = timedelta(hours=1)
FIRST_RETRY = timedelta(seconds=5)
LAST_RETRY = timedelta(minutes=5)


def backoff(attempts: int, jitter: float) -> timedelta:
    """How long to wait after the n-th failed try: doubling from 5 s to at most 5 minutes,
    scaled by `jitter` (0.5 to 1.0) so that many failed posts do not retry in step."""
    wait = min(FIRST_RETRY * (1 << min(max(attempts - 1, 0), 16)), LAST_RETRY)
    return wait * jitter
