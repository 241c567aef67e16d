"""The scheduler: each channel's own clock, daylight-saving switches, exactly-once posting."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.asyncio import Redis

from bot.adapters.clock import FrozenClock
from bot.adapters.lease import Lease
from bot.adapters.scheduler import QuizScheduler, fire_times
from bot.domain.model import Where, Who
from bot.services import quiz
from bot.services.deps import Deps
from tests.recording import RecordingPoster
from tests.servers import forget_keys, redis_server

BERLIN = ZoneInfo("Europe/Berlin")
HERE = Where("slack", "T1", "C1", "Acme", "general")
ADMIN = Who("A1", "ada", is_admin=True)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await forget_keys(client, "test:lease:*")
    await client.aclose()


async def scheduled_channel(deps: Deps, text: str) -> int:
    await quiz.handle(deps, HERE, ADMIN, text)
    async with deps.uow() as uow:
        [channel] = await uow.channels.scheduled()
    return channel.id


def make_scheduler(deps: Deps, lease: Lease | None = None) -> QuizScheduler:
    return QuizScheduler(deps, AsyncIOScheduler(timezone=UTC), lease)


async def plan_all(scheduler: QuizScheduler) -> None:
    async with scheduler.deps.uow() as uow:
        for channel in await uow.channels.scheduled():
            scheduler.plan(channel)


async def walk(clock: FrozenClock, schedulers: list[QuizScheduler], until: datetime) -> None:
    """Move the clock from job to job, running each due job on every scheduler at once."""
    while True:
        due = []
        for scheduler in schedulers:
            for job in scheduler.scheduler.get_jobs():
                if job.id.startswith(("daily:", "weekly:", "reveal:")):
                    [moment] = fire_times(job.trigger, clock.now(), 1) or [None]
                    if moment is not None and moment <= until:
                        due.append((moment, scheduler, job))
        if not due:
            return
        moment = min(m for m, _, _ in due)
        clock.set(moment)
        runs = [job.func(*job.args) for m, _, job in due if m == moment]
        for m, scheduler, job in due:
            if m == moment and job.id.startswith("reveal:"):
                scheduler.scheduler.remove_job(job.id)
        await asyncio.gather(*runs)
        clock.advance(timedelta(seconds=1))


async def test_nine_in_berlin_posts_at_nine_local_all_week_across_the_dst_switch(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await scheduled_channel(deps, "daily 09:00 Europe/Berlin daily")
    await quiz.handle(deps, HERE, ADMIN, "window 8h")
    scheduler = make_scheduler(deps)
    await plan_all(scheduler)
    posted_at: list[datetime] = []
    original = poster.post_question

    async def timed(target, view):  # type: ignore[no-untyped-def]
        posted_at.append(clock.now())
        return await original(target, view)

    poster.post_question = timed  # type: ignore[method-assign]
    clock.set(datetime(2027, 3, 25, 0, 0, tzinfo=UTC))
    await walk(clock, [scheduler], datetime(2027, 4, 1, 0, 0, tzinfo=UTC))

    assert [m.astimezone(BERLIN).strftime("%a %H:%M") for m in posted_at] == [
        "Thu 09:00", "Fri 09:00", "Sat 09:00", "Sun 09:00", "Mon 09:00", "Tue 09:00",
        "Wed 09:00"]
    assert {m.utcoffset() for m in (p.astimezone(BERLIN) for p in posted_at)} == {
        timedelta(hours=1), timedelta(hours=2)}
    assert len(poster.reveals) == 7
    assert {view.question.closes_at.astimezone(BERLIN).strftime("%H:%M")
            for _, _, view in poster.reveals} == {"17:00"}


async def test_two_schedulers_post_every_daily_and_weekly_exactly_once(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster, redis: Redis) -> None:
    await scheduled_channel(deps, "daily 09:30 Europe/Berlin mon-fri")
    await quiz.handle(deps, HERE, ADMIN, "weekly fri 16:00")
    key = f"test:lease:{uuid.uuid4().hex}"
    first = make_scheduler(deps, Lease(redis, key))
    second = make_scheduler(deps, Lease(redis, key))
    assert [await first.lease.hold(), await second.lease.hold()] == [True, False]  # type: ignore[union-attr]
    for scheduler in (first, second):
        await plan_all(scheduler)
    clock.set(datetime(2027, 3, 22, 0, 0, tzinfo=UTC))
    await walk(clock, [first, second], datetime(2027, 3, 29, 0, 0, tzinfo=UTC))
    assert len(poster.questions) == 5
    assert len(poster.boards) == 1


async def test_even_without_a_lease_two_schedulers_cannot_double_post(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await scheduled_channel(deps, "daily 09:30 UTC daily")
    await quiz.handle(deps, HERE, ADMIN, "weekly sun 18:00")
    both = [make_scheduler(deps), make_scheduler(deps)]
    for scheduler in both:
        await plan_all(scheduler)
    clock.set(datetime(2027, 3, 22, 0, 0, tzinfo=UTC))
    await walk(clock, both, datetime(2027, 3, 29, 0, 0, tzinfo=UTC))
    assert len(poster.questions) == 7
    assert len(poster.boards) == 1
    assert len(poster.reveals) == 7


async def test_the_lease_passes_on_when_its_holder_stops_renewing(redis: Redis) -> None:
    key = f"test:lease:{uuid.uuid4().hex}"
    holder = Lease(redis, key, ttl=timedelta(milliseconds=300))
    other = Lease(redis, key, ttl=timedelta(milliseconds=300))
    assert await holder.hold()
    assert not await other.hold()
    await asyncio.sleep(0.4)  # the holder died: it renews no more
    assert await other.hold()
    assert not await holder.hold()


async def test_a_released_lease_is_taken_at_once(redis: Redis) -> None:
    key = f"test:lease:{uuid.uuid4().hex}"
    holder, other = Lease(redis, key), Lease(redis, key)
    await holder.hold()
    await holder.release()
    assert await other.hold()


async def test_a_missed_daily_is_posted_on_start_while_its_window_is_open(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await scheduled_channel(deps, "daily 09:00 UTC daily")
    clock.set(datetime(2027, 3, 23, 12, 0, tzinfo=UTC))  # down at 09:00, back at 12:00
    scheduler = make_scheduler(deps)
    await scheduler.start()
    try:
        assert len(poster.questions) == 1
        assert scheduler.scheduler.get_job(f"reveal:{poster.questions[0][1].round_id}")
    finally:
        await scheduler.stop()


async def test_a_missed_daily_whose_window_closed_is_skipped(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await scheduled_channel(deps, "daily 09:00 UTC daily")
    clock.set(datetime(2027, 3, 23, 18, 0, tzinfo=UTC))  # the 8h window ended at 17:00
    scheduler = make_scheduler(deps)
    await scheduler.start()
    await scheduler.stop()
    assert poster.questions == []


async def test_a_settings_change_replans_the_channels_jobs(deps: Deps) -> None:
    channel_id = await scheduled_channel(deps, "daily 09:00 UTC daily")
    scheduler = make_scheduler(deps)
    deps.settings_listeners.append(scheduler.channel_changed)
    await plan_all(scheduler)
    await quiz.handle(deps, HERE, ADMIN, "daily 07:15 Asia/Tokyo mon")
    trigger = scheduler.scheduler.get_job(f"daily:{channel_id}").trigger
    [fire] = fire_times(trigger, datetime(2027, 3, 23, tzinfo=UTC), 1)
    assert fire.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%a %H:%M") == "Mon 07:15"
    await quiz.handle(deps, HERE, ADMIN, "daily off")
    assert scheduler.scheduler.get_job(f"daily:{channel_id}") is None


async def test_when_the_leader_dies_the_follower_takes_over_and_no_day_is_lost(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster, redis: Redis) -> None:
    await scheduled_channel(deps, "daily 09:00 UTC daily")
    key = f"test:lease:{uuid.uuid4().hex}"
    leader = make_scheduler(deps, Lease(redis, key, ttl=timedelta(milliseconds=300)))
    follower = make_scheduler(deps, Lease(redis, key, ttl=timedelta(milliseconds=300)))
    assert await leader.lease.hold() and not await follower.lease.hold()  # type: ignore[union-attr]
    for scheduler in (leader, follower):
        await plan_all(scheduler)

    clock.set(datetime(2027, 3, 22, 0, 0, tzinfo=UTC))
    await walk(clock, [leader, follower], datetime(2027, 3, 23, 8, 59, 59, tzinfo=UTC))
    assert len(poster.questions) == 1  # Monday, posted by the leader

    # The leader dies a second before Tuesday's post; the follower's 09:00 job finds itself
    # not leading yet, so nothing is posted at 09:00 sharp.
    await walk(clock, [follower], datetime(2027, 3, 23, 9, 0, tzinfo=UTC))
    assert len(poster.questions) == 1
    await asyncio.sleep(0.4)  # the dead leader's lease runs out
    assert await follower.lease.hold()  # type: ignore[union-attr]
    clock.set(datetime(2027, 3, 23, 9, 0, 15, tzinfo=UTC))
    await follower.sweep()  # its next sweep, 15 s later, posts what was missed
    assert len(poster.questions) == 2

    await walk(clock, [follower], datetime(2027, 3, 29, 0, 0, tzinfo=UTC))
    await follower.sweep()
    assert len(poster.questions) == 7
    assert len(poster.reveals) == 7


async def test_without_redis_every_scheduler_acts(deps: Deps) -> None:
    unreachable = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    lease = Lease(unreachable, "test:lease:none")
    try:
        assert await lease.hold()
    finally:
        await unreachable.aclose()
