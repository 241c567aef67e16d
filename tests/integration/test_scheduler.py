"""The schedule: each channel's own clock, daylight-saving switches, exactly-once posting by
any number of workers, catching up after downtime, and the worker's own loop."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.adapters.clock import FrozenClock
from bot.domain.errors import QuizError
from bot.domain.model import Where, Who
from bot.domain.views import SettingsView
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import next_event_after, run_due
from bot.services.planning import preview
from bot.worker import Deliverer, QuizScheduler
from tests.recording import RecordingPoster
from tests.sample import right_letters

BERLIN = ZoneInfo("Europe/Berlin")
HERE = Where("slack", "T1", "C1", "Acme", "general")
ADMIN = Who("A1", "ada", is_admin=True)
ALICE = Who("U1", "alice")


async def walk(deps: Deps, clock: FrozenClock, until: datetime, workers: int = 1,
               poster: RecordingPoster | None = None) -> None:
    """Move the clock from one due instant to the next, running `workers` passes at once at
    each; with a poster, alice answers every question right as soon as it is posted."""
    while (moment := await next_event_after(deps, clock.now())) is not None and moment <= until:
        clock.set(moment)
        await asyncio.gather(*(run_due(deps) for _ in range(workers)))
        if poster is not None:
            for _, view in poster.questions:
                await _answer_once(deps, view.round_id, right_letters(view))
    clock.set(until)
    await asyncio.gather(*(run_due(deps) for _ in range(workers)))


async def _answer_once(deps: Deps, round_id: int, letters: str) -> None:
    with contextlib.suppress(QuizError):  # answered already, or closed
        await quiz.answer(deps, HERE, ALICE, round_id, letters)


async def test_nine_in_berlin_posts_at_nine_local_all_week_across_the_dst_switch(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    clock.set(datetime(2027, 3, 25, 0, 0, tzinfo=UTC))
    await quiz.handle(deps, HERE, ADMIN, "daily 09:00 Europe/Berlin daily")
    await quiz.handle(deps, HERE, ADMIN, "window 8h")
    posted_at: list[datetime] = []
    original = poster.post_question

    async def timed(target, view, key=None):  # type: ignore[no-untyped-def]
        posted_at.append(clock.now())
        return await original(target, view, key)

    poster.post_question = timed  # type: ignore[method-assign]
    await walk(deps, clock, datetime(2027, 4, 1, 0, 0, tzinfo=UTC))

    assert [m.astimezone(BERLIN).strftime("%a %H:%M") for m in posted_at] == [
        "Thu 09:00", "Fri 09:00", "Sat 09:00", "Sun 09:00", "Mon 09:00", "Tue 09:00",
        "Wed 09:00"]
    assert {m.utcoffset() for m in (p.astimezone(BERLIN) for p in posted_at)} == {
        timedelta(hours=1), timedelta(hours=2)}
    assert len(poster.reveals) == 7
    assert {view.question.closes_at.astimezone(BERLIN).strftime("%H:%M")
            for _, _, view in poster.reveals} == {"17:00"}


async def test_three_workers_at_once_post_every_daily_reveal_and_board_exactly_once(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    clock.set(datetime(2027, 3, 22, 0, 0, tzinfo=UTC))
    await quiz.handle(deps, HERE, ADMIN, "daily 09:30 Europe/Berlin mon-fri")
    await quiz.handle(deps, HERE, ADMIN, "weekly fri 16:00")
    await walk(deps, clock, datetime(2027, 3, 29, 0, 0, tzinfo=UTC), workers=3, poster=poster)
    assert len(poster.questions) == 5
    assert len({view.round_id for _, view in poster.questions}) == 5
    assert len(poster.reveals) == 5
    assert len(poster.boards) == 1


async def test_a_daily_missed_while_no_worker_ran_is_posted_while_its_window_is_open(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    clock.set(datetime(2027, 3, 22, 12, 0, tzinfo=UTC))
    await quiz.handle(deps, HERE, ADMIN, "daily 09:00 UTC daily")
    clock.set(datetime(2027, 3, 23, 12, 0, tzinfo=UTC))  # down at 09:00, back at 12:00
    await run_due(deps)
    assert len(poster.questions) == 1
    assert poster.questions[0][1].closes_at == datetime(2027, 3, 23, 17, 0, tzinfo=UTC)


async def test_a_daily_missed_whose_window_closed_is_skipped_not_asked_late(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    clock.set(datetime(2027, 3, 22, 12, 0, tzinfo=UTC))
    await quiz.handle(deps, HERE, ADMIN, "daily 09:00 UTC daily")
    clock.set(datetime(2027, 3, 23, 18, 0, tzinfo=UTC))  # the 8h window ended at 17:00
    await run_due(deps)
    assert poster.questions == []
    view = await quiz.handle(deps, HERE, ALICE, "settings")
    assert isinstance(view, SettingsView)
    assert view.next_daily[0] == datetime(2027, 3, 24, 9, 0, tzinfo=UTC)


async def test_a_settings_change_moves_the_stored_instants_that_preview_and_settings_show(
        deps: Deps, clock: FrozenClock) -> None:
    await quiz.handle(deps, HERE, ADMIN, "daily 09:00 UTC daily")
    await quiz.handle(deps, HERE, ADMIN, "daily 07:15 Asia/Tokyo mon")
    view = await quiz.handle(deps, HERE, ALICE, "settings")
    assert isinstance(view, SettingsView)
    tokyo = [m.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%a %H:%M") for m in view.next_daily]
    assert tokyo == ["Mon 07:15"] * 3
    lines = await preview(deps, "general", count=2)
    assert "daily question Mon 2027-03-29 07:15" in lines[1]
    assert "daily question Mon 2027-04-05 07:15" in lines[2]
    await quiz.handle(deps, HERE, ADMIN, "daily off")
    view = await quiz.handle(deps, HERE, ALICE, "settings")
    assert view.next_daily == []  # type: ignore[union-attr]


async def test_a_running_worker_posts_a_pop_quiz_at_once_and_drains_on_stop(
        deps: Deps, poster: RecordingPoster) -> None:
    worker = QuizScheduler(deps, AsyncIOScheduler(timezone=UTC),
                           Deliverer(deps, poll=timedelta(seconds=30)))
    await worker.start()
    try:
        await quiz.handle(deps, HERE, ALICE, "now")
        for _ in range(100):  # woken by the commit, not by its 30 s poll
            if poster.questions:
                break
            await asyncio.sleep(0.02)
        assert len(poster.questions) == 1
    finally:
        await worker.stop()
    assert not worker.scheduler.running
