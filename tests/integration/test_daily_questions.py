"""Daily questions: opened once per local date, scored with streaks, on real databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.errors import NotAllowed, QuizError
from bot.domain.model import Where, Who
from bot.domain.views import Notice, SettingsView
from bot.services import quiz
from bot.services.asking import open_daily
from bot.services.deps import Deps
from bot.services.due import run_due
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


async def test_two_attempts_at_the_same_daily_round_make_one(deps: Deps, clock: FrozenClock,
                                                             poster: RecordingPoster) -> None:
    await schedule(deps)
    clock.set(datetime(2027, 3, 29, 7, 1, tzinfo=UTC))
    channel_id = (await _channel_id(deps))
    results = [await open_daily(deps, channel_id), await open_daily(deps, channel_id)]
    assert sum(r is not None for r in results) == 1


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
        assert receipt is not None
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
        clock.advance(timedelta(minutes=2))
        await run_due(deps)
    assert {view.topic for _, view in poster.questions} == {"lambda"}
    asked = [view.text for _, view in poster.questions]
    assert len(set(asked[:2])) == 2, "no repeat before the pool is used up"


async def test_the_weekly_board_posts_once_per_week(deps: Deps, clock: FrozenClock,
                                                    poster: RecordingPoster) -> None:
    await schedule(deps, "weekly fri 16:00")
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    await run_due(deps)
    await run_due(deps)
    clock.advance(timedelta(days=7))
    await run_due(deps)
    assert [view.week for _, view in poster.boards] == [(2027, 12), (2027, 13)]


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

    async def post_question(self, target, view):  # type: ignore[no-untyped-def]
        self._trip("question")
        return await super().post_question(target, view)

    async def post_reveal(self, target, message_ref, view):  # type: ignore[no-untyped-def]
        self._trip("reveal")
        await super().post_reveal(target, message_ref, view)

    async def post_board(self, target, view):  # type: ignore[no-untyped-def]
        self._trip("board")
        return await super().post_board(target, view)


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


async def test_a_pop_quiz_that_could_not_be_posted_says_so_and_leaves_nothing_open(
        deps: Deps) -> None:
    deps.poster = FlakyPoster(failures=1)
    with pytest.raises(QuizError, match="couldn't post the question"):
        await quiz.handle(deps, HERE, ALICE, "now")
    await quiz.handle(deps, HERE, ALICE, "now")  # not "already running"


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
    poster = deps.poster = FlakyPoster(failures=1, kinds=("reveal", "board"))
    await schedule(deps, "weekly fri 16:00")
    clock.set(datetime(2027, 3, 26, 16, 0, tzinfo=UTC))
    assert (await run_due(deps)).boards == []
    clock.advance(timedelta(seconds=15))
    assert len((await run_due(deps)).boards) == 1
    clock.advance(timedelta(seconds=15))
    assert (await run_due(deps)).boards == []
    assert len(poster.boards) == 1
