"""A worker's wiring: APScheduler runs the one scheduling pass periodically, and a deliverer
loop sends the outbox as soon as it has something.

Nothing here decides what is due: the services do, from the instants stored per channel, and
they claim their work in the database, so any number of workers may run this at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.services.deps import Deps
from bot.services.finishing import Finisher
from bot.services.outbox import BATCH, CLAIM_FOR, Sent, claim_batch, post_batch
from bot.services.planning import plan_unplanned
from bot.services.revealing import close_due_rounds
from bot.services.scheduling import schedule_pass

log = logging.getLogger(__name__)
PASS_EVERY = timedelta(seconds=5)
HEAL_EVERY = timedelta(seconds=30)
POLL_EVERY = timedelta(seconds=1)  # another process's outbox rows are found this fast
DRAIN_FOR = timedelta(seconds=8)  # on stop, posts in flight get this long to finish
FINISH_FOR = timedelta(seconds=1)  # ... and then those that went out this long to be stored


@dataclass(frozen=True)
class Lane:
    """One claim after another of one platform's posts (None: any platform's), `batch` at a
    time, all of a batch's posts started together; none beyond a workspace's `per_workspace`
    next posts (None: no bound). Up to `depth` batches post at once, so that the next claim
    is made while earlier posts are still going out."""

    platform: str | None = None
    batch: int = BATCH
    per_workspace: int | None = None
    depth: int = 1


class Deliverer:
    """Sends the outbox: woken by this process's commits, polling for everyone else's.

    Each lane claims and posts batch after batch, of one platform's posts or (None) of any:
    a batch waits for its slowest post, so a platform with a tight limit must not hold up the
    posts of another.
    """

    def __init__(self, deps: Deps, owner: str | None = None, poll: timedelta = POLL_EVERY,
                 claim_for: timedelta = CLAIM_FOR, lanes: Sequence[Lane] = (Lane(),),
                 spacing: Mapping[str, timedelta] | None = None) -> None:
        self.deps, self.poll, self.claim_for, self.lanes = deps, poll, claim_for, lanes
        self.spacing = spacing  # platform → least time between posts to one workspace
        self.owner = owner or uuid.uuid4().hex[:16]
        self._finisher = Finisher(deps, self.owner)  # every lane's posts, stored together
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Something was committed to the outbox: look now."""
        self._wake.set()

    def start(self) -> None:
        """Run in the background until stopped."""
        self._task = asyncio.create_task(self._run(), name="deliverer")

    async def stop(self, drain_for: timedelta = DRAIN_FOR) -> None:
        """Take no new work, let posts in flight finish (within `drain_for`), then stop.
        A post cut off here is taken over by another deliverer when its claim runs out."""
        self._stopping = True
        self.wake()
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, drain_for.total_seconds())
            self._task = None
        # Posts that went out are stored as done before the process goes (else another
        # worker would take them over and look for them in their channels).
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._finisher.drain(), FINISH_FOR.total_seconds())

    async def _run(self) -> None:
        await asyncio.gather(*(self._lane(lane) for lane in self.lanes))

    async def _lane(self, lane: Lane) -> None:
        posting: set[asyncio.Task[Sent]] = set()
        try:
            while not self._stopping:
                if len(posting) >= lane.depth:
                    await asyncio.wait(posting, return_when=asyncio.FIRST_COMPLETED)
                    continue
                self._wake.clear()  # a wake after this finds its rows in the claim below
                try:
                    claimed = await claim_batch(self.deps, self.owner, lane.batch,
                                                self.claim_for, lane.platform,
                                                lane.per_workspace, self.spacing)
                except Exception:
                    log.exception("the deliverer's claim failed")
                    claimed = None
                if claimed is not None and not self._stopping:
                    task = asyncio.create_task(post_batch(self.deps, self.owner, claimed,
                                                          lane.batch, self.claim_for,
                                                          self._finisher))
                    posting.add(task)
                    task.add_done_callback(self._posted)
                    task.add_done_callback(posting.discard)
                    continue  # more may be waiting
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll.total_seconds())
        except asyncio.CancelledError:  # the drain ran out: cut the posts in flight off too
            for task in posting:
                task.cancel()
            raise
        finally:
            if posting:  # drain: the posts in flight finish (or are cancelled with the lane)
                await asyncio.gather(*posting, return_exceptions=True)

    def _posted(self, task: asyncio.Task[Sent]) -> None:
        """A batch ended: its posts no longer count against a workspace's next ones, so
        look again; a batch that failed as a whole is logged (its claims run out)."""
        if not task.cancelled() and task.exception() is not None:
            log.error("a batch of posts failed", exc_info=task.exception())
        self.wake()


class QuizScheduler:
    """A worker's periodic jobs (the scheduling pass, board healing) and its deliverer."""

    def __init__(self, deps: Deps, scheduler: AsyncIOScheduler, deliverer: Deliverer,
                 heal: Callable[[], Awaitable[None]] | None = None,
                 every: timedelta = PASS_EVERY) -> None:
        self.deps, self.scheduler, self.deliverer = deps, scheduler, deliverer
        self.heal, self.every = heal, every
        self.last_pass: float | None = None  # monotonic end of the last pass that succeeded

    async def start(self) -> None:
        """Plan channels stored before due instants existed, run a first pass, then repeat."""
        self.deps.wake_deliverer = self.deliverer.wake
        await plan_unplanned(self.deps)
        self.deliverer.start()
        await self.run_pass()
        self._add("pass", self.every, self.run_pass)
        if self.heal is not None:
            self._add("heal", HEAL_EVERY, self.heal)
        self.scheduler.start()

    async def stop(self) -> None:
        """Stop the jobs, then drain the deliverer."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.deliverer.stop()

    async def run_pass(self) -> None:
        """Job: close rounds past their window, then open what is due."""
        try:
            await close_due_rounds(self.deps)
            await schedule_pass(self.deps, committed=self.deliverer.wake)
            self.last_pass = time.monotonic()
        except Exception:  # the next pass tries again; the job must keep its schedule
            log.exception("the scheduling pass failed")
        self.deliverer.wake()  # whatever the pass queued goes out now, not at the next poll

    def _add(self, job_id: str, every: timedelta, func: Callable[..., Awaitable[Any]]) -> None:
        self.scheduler.add_job(func, IntervalTrigger(seconds=every.total_seconds()), id=job_id,
                               replace_existing=True, coalesce=True, max_instances=1)
