"""APScheduler wiring: each channel's daily post, reveal and weekly board, from its settings.

Jobs are built from channel settings in the database at start and whenever settings change;
nothing is pickled. Every job calls an idempotent service, and a Redis lease (when there is
Redis) lets only one process act, so posts happen exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.adapters.lease import Lease
from bot.domain.channel import Channel
from bot.domain.errors import QuizError
from bot.domain.schedule import DAY_NAMES, current_daily_slot
from bot.services.asking import open_daily
from bot.services.deps import Deps
from bot.services.due import run_due
from bot.services.revealing import close_round
from bot.services.standings import post_weekly

log = logging.getLogger(__name__)
SWEEP_EVERY = timedelta(seconds=15)
LEASE_EVERY = timedelta(seconds=10)
HEAL_EVERY = timedelta(seconds=30)
# A post delayed by a busy loop or a paused process still goes out within this grace; the
# services check the answer window themselves, so a late run can never post a stale question.
MISFIRE_GRACE = int(timedelta(minutes=15).total_seconds())


def daily_trigger(channel: Channel) -> CronTrigger | None:
    """Fires at the channel's local daily time on its weekdays (DST-aware via its zone)."""
    settings = channel.settings
    if settings.daily_time is None or not settings.days:
        return None
    days = ",".join(DAY_NAMES[d] for d in sorted(settings.days))
    return CronTrigger(day_of_week=days, hour=settings.daily_time.hour,
                       minute=settings.daily_time.minute, timezone=settings.tz)


def weekly_trigger(channel: Channel) -> CronTrigger | None:
    """Fires at the channel's weekly board time."""
    settings = channel.settings
    if settings.weekly_day is None:
        return None
    return CronTrigger(day_of_week=DAY_NAMES[settings.weekly_day],
                       hour=settings.weekly_time.hour, minute=settings.weekly_time.minute,
                       timezone=settings.tz)


def fire_times(trigger: BaseTrigger, after: datetime, count: int) -> list[datetime]:
    """The next `count` times a trigger fires after an instant."""
    times: list[datetime] = []
    previous: datetime | None = None
    now = after
    while len(times) < count:
        moment = trigger.get_next_fire_time(previous, now)
        if moment is None:
            break
        times.append(moment)
        previous, now = moment, moment + timedelta(seconds=1)
    return times


class QuizScheduler:
    """Owns the APScheduler jobs of every channel."""

    def __init__(self, deps: Deps, scheduler: AsyncIOScheduler, lease: Lease | None = None,
                 heal: Callable[[], Awaitable[None]] | None = None) -> None:
        self.deps, self.scheduler, self.lease, self.heal = deps, scheduler, lease, heal

    @property
    def leading(self) -> bool:
        """Without Redis a single process schedules alone."""
        return self.lease is None or self.lease.is_leader

    async def start(self) -> None:
        """Add every job, take the lease if we can, and catch up on what is due now."""
        if self.lease is not None:
            await self.lease.hold()
            self._add("lease", IntervalTrigger(seconds=LEASE_EVERY.total_seconds()),
                      self.lease.hold)
        self._add("sweep", IntervalTrigger(seconds=SWEEP_EVERY.total_seconds()), self.sweep)
        if self.heal is not None:
            self._add("heal", IntervalTrigger(seconds=HEAL_EVERY.total_seconds()), self.heal)
        async with self.deps.uow() as uow:
            channels = await uow.channels.scheduled()
        for channel in channels:
            self.plan(channel)
        self.scheduler.start()
        await self.catch_up(channels)

    async def stop(self) -> None:
        """Stop firing and hand the lease on."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.lease is not None:
            await self.lease.release()

    def unplan(self, channel_id: int) -> None:
        """Remove a channel's daily and weekly jobs."""
        for kind in ("daily", "weekly"):
            if self.scheduler.get_job(f"{kind}:{channel_id}"):
                self.scheduler.remove_job(f"{kind}:{channel_id}")

    def plan(self, channel: Channel) -> None:
        """(Re)build a channel's daily and weekly jobs from its settings."""
        self.unplan(channel.id)
        if channel.disabled:
            return
        if (trigger := daily_trigger(channel)) is not None:
            self._add(f"daily:{channel.id}", trigger, self.post_daily, channel.id)
        if (trigger := weekly_trigger(channel)) is not None:
            self._add(f"weekly:{channel.id}", trigger, self.post_weekly, channel.id)

    async def channel_changed(self, channel: Channel) -> None:
        """Settings listener: reload the channel (its workspace may have gone) and replan it."""
        async with self.deps.uow() as uow:
            fresh = await uow.channels.get(channel.id)
            workspace = await uow.workspaces.get(channel.workspace_id)
        if fresh is None or workspace is None or not workspace.active:
            self.unplan(channel.id)
        else:
            self.plan(fresh)

    async def post_daily(self, channel_id: int) -> None:
        """Job: open the daily question and plan its reveal at the end of the window."""
        if not self.leading:
            return
        view = await open_daily(self.deps, channel_id)
        if view is not None:
            self._add(f"reveal:{view.round_id}", DateTrigger(view.closes_at), self.reveal,
                      view.round_id)

    async def reveal(self, round_id: int) -> None:
        """Job: close a round and post its reveal."""
        if self.leading:
            await close_round(self.deps, round_id)

    async def post_weekly(self, channel_id: int) -> None:
        """Job: post the weekly board."""
        if self.leading:
            await post_weekly(self.deps, channel_id)

    async def sweep(self) -> None:
        """Job: everything due now: reveals past their window (pop quizzes too), and any daily
        question or weekly board a cron job missed (a leader change, a restart, a busy loop).

        Every step is idempotent, so the sweep makes the cron jobs' timing exact but not
        load-bearing."""
        if self.leading:
            await run_due(self.deps)

    async def catch_up(self, channels: list[Channel]) -> None:
        """At start: post a missed daily question if its window is still open, else log it."""
        if not self.leading:
            return
        now = self.deps.clock.now()
        for channel in channels:
            if channel.settings.daily_time is not None:
                if current_daily_slot(channel.settings, now) is not None:
                    await self.post_daily(channel.id)
                else:
                    log.info("no daily question open now for #%s; next one as scheduled",
                             channel.name)
            await post_weekly(self.deps, channel.id)

    def _add(self, job_id: str, trigger: BaseTrigger,
             func: Callable[..., Awaitable[Any]], *args: Any) -> None:
        self.scheduler.add_job(func, trigger, args=args, id=job_id, replace_existing=True,
                               coalesce=True, max_instances=1, misfire_grace_time=MISFIRE_GRACE)


async def preview(deps: Deps, name: str, count: int = 5) -> list[str]:
    """The next fire times of a scheduled channel (by id or name), in its local time."""
    async with deps.uow() as uow:
        channels = [c for c in await uow.channels.scheduled()
                    if name.lstrip("#") in (c.external_id, c.name)]
    if not channels:
        raise QuizError(f"No scheduled channel is called {name!r}. Set one up with "
                        "`/quiz daily 09:00 Europe/Berlin` in the channel first.")
    now = deps.clock.now()
    lines: list[str] = []
    for channel in channels:
        zone = channel.settings.tz
        lines.append(f"#{channel.name} ({channel.external_id}), times in {channel.settings.zone}:")
        if (daily := daily_trigger(channel)) is not None:
            for moment in fire_times(daily, now, count):
                closes = moment + channel.settings.window
                lines.append(f"  daily question {moment.astimezone(zone):%a %Y-%m-%d %H:%M}"
                             f", reveal {closes.astimezone(zone):%H:%M}")
        if (weekly := weekly_trigger(channel)) is not None:
            for moment in fire_times(weekly, now, 1):
                lines.append(f"  weekly board   {moment.astimezone(zone):%a %Y-%m-%d %H:%M}")
    return lines
