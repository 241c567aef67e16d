"""Daily questions: opened once per local date, scored with streaks, on real databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.channel import Target
from bot.domain.errors import NotAllowed, QuizError
from bot.domain.model import Where, Who
from bot.domain.ports import PostKey
from bot.domain.schedule import Due
from bot.domain.views import (
    BoardView,
    Notice,
    QuestionView,
    Receipt,
    RevealView,
    SettingsView,
)
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due
from bot.services.scheduling import schedule_pass
from tests.recording import RecordingPoster
from tests.sample import right_letters

HERE = Where("discord", "G1", "C1", "Guild", "quiz")
ADMIN = Who("A1", "ada", is_admin=True)
ALICE = Who("U1", "alice")


async def schedule(deps: Deps, text: str = "daily 09:00 Europe/Berlin mon-fri") -> None:
    notice = await quiz.handle(deps, HERE, ADMIN, text)
    assert isinstance(notice, Notice)


async def test_a_daily_question_opens_once_even_when_asked_twice(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps)
    clock.set(datetime(2027, 3, 29, 7, 0, tzinfo=UTC))  # Monday 09:00 in Berlin (CEST)
    first = await run_due(deps)
    second = await run_due(deps)
    assert len(first.questions) == 1 and second.questions == []
    assert len(poster.questions) == 1


async def test_two_scheduling_passes_at_once_open_the_daily_round_once(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps)
    clock.set(datetime(2027, 3, 29, 7, 1, tzinfo=UTC))
    await asyncio.gather(schedule_pass(deps), schedule_pass(deps), schedule_pass(deps))
    await run_due(deps)
    assert len(poster.questions) == 1
    async with deps.uow() as uow:
        assert len(await uow.rounds.open_in_channel(await _channel_id(deps), clock.now())) == 1


async def test_no_daily_question_on_a_day_the_channel_did_not_ask_for(
        deps: Deps, clock: FrozenClock) -> None:
    await schedule(deps)
    clock.set(datetime(2027, 3, 27, 10, 0, tzinfo=UTC))  # Saturday
    assert (await run_due(deps)).questions == []


async def test_a_daily_streak_adds_a_bonus_point_per_day(deps: Deps, clock: FrozenClock,
                                                         poster: RecordingPoster) -> None:
    await schedule(deps, "daily 09:00 UTC daily")
    points = []
    for day in range(8):
        clock.set(datetime(2027, 4, 1, 9, 5, tzinfo=UTC) + timedelta(days=day))
        await run_due(deps)
        question = poster.questions[-1][1]
        receipt = await quiz.answer(deps, HERE, ALICE, question.round_id,
                                    right_letters(question))
        assert isinstance(receipt, Receipt)
        clock.advance(timedelta(hours=9))
        [reveal] = (await run_due(deps)).reveals
        points.append(reveal.winners[0].points)
    assert points == [10, 11, 12, 13, 14, 15, 15, 15]


async def test_settings_changes_are_for_admins_only(deps: Deps) -> None:
    with pytest.raises(NotAllowed, match="Only workspace admins"):
        await quiz.handle(deps, HERE, ALICE, "daily 09:00")
    view = await quiz.handle(deps, HERE, ALICE, "settings")
    assert isinstance(view, SettingsView)
    assert view.settings.daily_time is None


async def test_settings_show_the_next_post_in_local_time(deps: Deps) -> None:
    await schedule(deps, "daily 09:30 Europe/Berlin mon-fri")
    view = await quiz.handle(deps, HERE, ALICE, "settings")
    assert isinstance(view, SettingsView)
    assert view.next_daily[0] == datetime(2027, 3, 29, 7, 30, tzinfo=UTC)
    assert view.next_reveal == datetime(2027, 3, 29, 15, 30, tzinfo=UTC)


async def test_limiting_topics_to_an_unknown_one_changes_nothing(deps: Deps) -> None:
    with pytest.raises(QuizError, match="I don't know the topic ec9"):
        await quiz.handle(deps, HERE, ADMIN, "only lambda,ec9")
    view = await quiz.handle(deps, HERE, ADMIN, "settings")
    assert view.settings.topics == frozenset()  # type: ignore[union-attr]


async def test_a_channel_only_gets_questions_from_its_topics(deps: Deps,
                                                              poster: RecordingPoster,
                                                              clock: FrozenClock) -> None:
    await quiz.handle(deps, HERE, ADMIN, "only lambda")
    await quiz.handle(deps, HERE, ADMIN, "window pop 1m")
    for _ in range(4):
        await quiz.handle(deps, HERE, ALICE, "now")
        await run_due(deps)  # the deliverer posts it
        clock.advance(timedelta(minutes=2))
        await run_due(deps)
    assert {view.topic for _, view in poster.questions} == {"lambda"}
    asked = [view.text for _, view in poster.questions]
    assert len(set(asked[:2])) == 2, "no repeat before the pool is used up"


async def score_a_pop_quiz(deps: Deps, poster: RecordingPoster) -> None:
    """Someone scores, so that the week's board has a row to show."""
    await quiz.handle(deps, HERE, ALICE, "now")
    await run_due(deps)
    question = poster.questions[-1][1]
    await quiz.answer(deps, HERE, ALICE, question.round_id, right_letters(question))


async def test_the_weekly_board_posts_once_per_week(deps: Deps, clock: FrozenClock,
                                                    poster: RecordingPoster) -> None:
    await schedule(deps, "weekly fri 16:00")
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    await run_due(deps)
    await run_due(deps)
    clock.advance(timedelta(days=6))
    await score_a_pop_quiz(deps, poster)
    clock.advance(timedelta(days=1))
    await run_due(deps)
    assert [view.week for _, view in poster.boards] == [(2027, 12), (2027, 13)]


async def test_a_week_in_which_nobody_scored_gets_no_board(deps: Deps, clock: FrozenClock,
                                                           poster: RecordingPoster) -> None:
    await schedule(deps, "weekly fri 16:00")
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    assert (await run_due(deps)).boards == []
    assert poster.boards == []


async def test_a_channel_gets_no_board_for_a_week_before_it_asked_for_one(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 26, 17, 0, tzinfo=UTC))  # Friday, after 16:00
    await schedule(deps, "weekly fri 16:00")
    await run_due(deps)
    assert poster.boards == []
    view = await quiz.handle(deps, HERE, ALICE, "settings")
    assert view.next_weekly == datetime(2027, 4, 2, 16, 0, tzinfo=UTC)  # type: ignore[union-attr]


async def test_daily_questions_come_only_from_the_channel_s_topics(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps, "daily 09:00 UTC daily")
    await quiz.handle(deps, HERE, ADMIN, "only lambda")
    for day in range(3):
        clock.set(datetime(2027, 3, 27, 9, 0, tzinfo=UTC) + timedelta(days=day))
        await run_due(deps)
    assert [view.topic for _, view in poster.questions] == ["lambda"] * 3


async def test_a_weekly_board_early_on_a_monday_ahead_of_utc_goes_out_for_that_local_week(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps, "daily 09:00 Pacific/Auckland")
    await schedule(deps, "weekly mon 08:00")  # Sunday 19:00 UTC, still the week before there
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 28, 19, 0, tzinfo=UTC))
    await run_due(deps)
    assert len(poster.boards) == 1


async def test_a_weekly_board_moved_later_in_the_week_it_went_out_is_not_posted_again(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps, "weekly fri 16:00")
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    await run_due(deps)
    await schedule(deps, "weekly fri 17:00")  # this week's board is due again at 17:00
    clock.set(datetime(2027, 3, 26, 17, 0, tzinfo=UTC))
    await run_due(deps)
    assert [view.week for _, view in poster.boards] == [(2027, 12)]


async def test_a_settings_change_just_after_the_daily_time_keeps_today_s_question_due(
        deps: Deps, clock: FrozenClock) -> None:
    clock.set(datetime(2027, 3, 29, 8, 59, tzinfo=UTC))
    await schedule(deps, "daily 09:00 UTC daily")
    clock.set(datetime(2027, 3, 29, 9, 0, 30, tzinfo=UTC))  # before the pass got to it
    await schedule(deps, "weekly fri 16:00")
    assert len((await run_due(deps)).questions) == 1


async def test_read_only_commands_sign_a_channel_up_for_nothing(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    for command in ("topics", "settings", "me", "leaderboard"):
        await quiz.handle(deps, HERE, ALICE, command)
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    await run_due(deps)
    clock.advance(timedelta(days=7))
    await run_due(deps)
    assert poster.boards == []


async def test_a_daily_schedule_brings_the_weekly_board_with_it(deps: Deps) -> None:
    notice = await quiz.handle(deps, HERE, ADMIN, "daily 09:00 UTC")
    assert "weekly leaderboard posts fri 16:00" in notice.text  # type: ignore[union-attr]
    await quiz.handle(deps, HERE, ADMIN, "weekly off")
    view = await quiz.handle(deps, HERE, ALICE, "settings")
    assert view.next_weekly is None  # type: ignore[union-attr]


async def _channel_id(deps: Deps) -> int:
    async with deps.uow() as uow:
        [channel] = await uow.channels.scheduled()
    return channel.id


class FlakyPoster(RecordingPoster):
    """Fails the first `failures` posts of the given kinds, as a platform outage would."""

    def __init__(self, failures: int, kinds: tuple[str, ...] = ("question",)) -> None:
        super().__init__()
        self.failures, self.kinds = failures, kinds

    def _trip(self, kind: str) -> None:
        if kind in self.kinds and self.failures:
            self.failures -= 1
            raise OSError("platform unavailable")

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        self._trip("question")
        return await super().post_question(target, view, key)

    async def post_reveal(self, target: Target, message_ref: str | None, view: RevealView,
                          key: PostKey | None = None) -> None:
        self._trip("reveal")
        await super().post_reveal(target, message_ref, view, key)

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        self._trip("board")
        return await super().post_board(target, view, key)


async def test_a_daily_question_whose_post_failed_is_posted_on_the_next_pass(
        deps: Deps, clock: FrozenClock) -> None:
    deps.poster = FlakyPoster(failures=1)
    await schedule(deps, "daily 09:00 UTC daily")
    clock.set(datetime(2027, 3, 29, 9, 0, tzinfo=UTC))
    assert (await run_due(deps)).questions == []
    clock.advance(timedelta(seconds=15))
    assert len((await run_due(deps)).questions) == 1
    clock.advance(timedelta(hours=8))
    assert len((await run_due(deps)).reveals) == 1


async def test_a_pop_quiz_whose_post_failed_is_posted_on_a_retry(
        deps: Deps, clock: FrozenClock) -> None:
    poster = deps.poster = FlakyPoster(failures=1)
    await quiz.handle(deps, HERE, ALICE, "now")
    assert (await run_due(deps)).questions == []
    clock.advance(timedelta(seconds=6))
    assert len((await run_due(deps)).questions) == 1
    assert len(poster.questions) == 1


async def test_a_question_that_never_reached_the_channel_is_never_revealed(
        deps: Deps, clock: FrozenClock) -> None:
    poster = deps.poster = FlakyPoster(failures=1000)
    await quiz.handle(deps, HERE, ALICE, "now")
    for _ in range(30):  # retries with backoff until the pop window of 10 minutes ends
        clock.advance(timedelta(seconds=30))
        assert (await run_due(deps)).reveals == []
    assert poster.questions == [] and poster.reveals == []
    await quiz.handle(deps, HERE, ALICE, "now")  # nothing is left running


async def test_the_poster_is_told_the_post_s_name_and_whether_it_may_be_a_second_try(
        deps: Deps, clock: FrozenClock) -> None:
    keys: list[PostKey | None] = []

    class Watching(FlakyPoster):
        async def post_question(self, target: Target, view: QuestionView,
                                key: PostKey | None = None) -> str | None:
            keys.append(key)
            return await super().post_question(target, view, key)

    deps.poster = Watching(failures=1)
    await quiz.handle(deps, HERE, ALICE, "now")
    await run_due(deps)
    clock.advance(timedelta(seconds=6))
    await run_due(deps)
    assert [k.name for k in keys if k] == ["question:1", "question:1"] or \
        len({k.name for k in keys if k}) == 1
    assert [k.retry for k in keys if k] == [False, True]


async def test_stats_show_the_current_streak_not_an_old_one(deps: Deps, clock: FrozenClock,
                                                            poster: RecordingPoster) -> None:
    await schedule(deps, "daily 09:00 UTC daily")
    for day in range(3):
        clock.set(datetime(2027, 4, 1, 9, 5, tzinfo=UTC) + timedelta(days=day))
        await run_due(deps)
        question = poster.questions[-1][1]
        await quiz.answer(deps, HERE, ALICE, question.round_id, right_letters(question))
    stats = await quiz.handle(deps, HERE, ALICE, "stats")
    assert stats.streak == 3  # type: ignore[union-attr]
    clock.advance(timedelta(days=2))  # two daily questions come and go unanswered
    await run_due(deps)
    clock.advance(timedelta(hours=9))
    await run_due(deps)
    stats = await quiz.handle(deps, HERE, ALICE, "stats")
    assert stats.streak == 0  # type: ignore[union-attr]


async def test_a_command_from_a_workspace_marked_gone_brings_its_schedule_back(
        deps: Deps, clock: FrozenClock) -> None:
    from bot.services.workspaces import workspace_left

    await schedule(deps, "daily 09:00 UTC daily")
    await workspace_left(deps, "discord", "G1")
    clock.set(datetime(2027, 3, 29, 9, 1, tzinfo=UTC))
    assert (await run_due(deps)).questions == []
    await quiz.handle(deps, HERE, ADMIN, "settings")  # the app answers there, so it is back
    assert len((await run_due(deps)).questions) == 1


async def test_a_reveal_that_failed_is_tried_again_on_the_next_pass(
        deps: Deps, clock: FrozenClock) -> None:
    poster = deps.poster = FlakyPoster(failures=1, kinds=("reveal", "board"))
    await schedule(deps, "daily 09:00 UTC daily")
    clock.set(datetime(2027, 3, 29, 9, 0, tzinfo=UTC))
    await run_due(deps)
    clock.advance(timedelta(hours=8))
    assert (await run_due(deps)).reveals == []
    clock.advance(timedelta(seconds=15))
    assert len((await run_due(deps)).reveals) == 1
    assert len(poster.reveals) == 1


async def test_a_weekly_board_that_failed_is_tried_again_on_the_next_pass(
        deps: Deps, clock: FrozenClock) -> None:
    poster = deps.poster = FlakyPoster(failures=1, kinds=("board",))
    await schedule(deps, "weekly fri 16:00")
    await score_a_pop_quiz(deps, poster)
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    assert (await run_due(deps)).boards == []
    clock.advance(timedelta(seconds=15))
    assert len((await run_due(deps)).boards) == 1
    clock.advance(timedelta(seconds=15))
    assert (await run_due(deps)).boards == []
    assert len(poster.boards) == 1


async def test_a_stored_daily_instant_that_is_no_longer_a_slot_is_passed_over_for_the_next(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    await schedule(deps, "daily 09:00 UTC daily")
    channel_id = await _channel_id(deps)
    stale = datetime(2027, 4, 1, 8, 30, tzinfo=UTC)  # e.g. stored before a zone's rules changed
    async with deps.uow() as uow:
        await uow.channels.set_due(channel_id, Due(daily=stale))
        await uow.commit()

    clock.set(stale + timedelta(minutes=1))
    assert (await run_due(deps)).questions == []
    async with deps.uow() as uow:
        channel = await uow.channels.get(channel_id)
    assert channel is not None and channel.due.daily == datetime(2027, 4, 1, 9, 0, tzinfo=UTC)

    clock.set(datetime(2027, 4, 1, 9, 1, tzinfo=UTC))
    assert len((await run_due(deps)).questions) == 1
