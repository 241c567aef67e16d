"""The services on hand-written fakes: fast checks of the use cases' rules."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.channel import Target
from bot.domain.errors import AlreadyAnswered, NotAllowed, QuizError
from bot.domain.model import Where, Who
from bot.domain.ports import PostKey
from bot.domain.schedule import EVERY_DAY, ChannelSettings
from bot.domain.views import (
    Notice,
    PopPosted,
    QuestionView,
    Receipt,
    SettingsView,
    StatsView,
    TopicsView,
)
from bot.services import planning, quiz
from bot.services.deps import Deps
from bot.services.due import run_due
from bot.services.outbox import deliver_due
from tests.recording import RecordingPoster
from tests.sample import SAMPLE_QUESTIONS, right_letters
from tests.unit.fake_deps import deps_on, hold_back
from tests.unit.fakes import FakeLeaderboard, Store

HERE = Where("terminal", "local", "general")
ALICE = Who("alice", "alice")
ADMIN = Who("root", "root", is_admin=True)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def leaderboard() -> FakeLeaderboard:
    return FakeLeaderboard()


@pytest.fixture
async def fake_deps(store: Store, leaderboard: FakeLeaderboard) -> Deps:
    return await deps_on(store, datetime(2027, 3, 26, 9, 0, tzinfo=UTC), leaderboard)


async def test_a_right_answer_is_committed_before_the_leaderboard_hears_of_it(
        fake_deps: Deps, store: Store, leaderboard: FakeLeaderboard) -> None:
    posted = await quiz.handle(fake_deps, HERE, ALICE, "")
    assert isinstance(posted, PopPosted)
    commits = store.commits
    receipt = await quiz.answer(fake_deps, HERE, ALICE, posted.question.round_id,
                                right_letters(posted.question))
    assert isinstance(receipt, Receipt)
    assert store.commits == commits + 1  # the answer and nothing else: the schedule reads it later
    [(answer_round, _)] = store.answers
    assert answer_round == posted.question.round_id  # committed, not staged
    assert len(leaderboard.scores) == 1


async def test_a_wrong_answer_reaches_the_leaderboard_with_no_points(
        fake_deps: Deps, leaderboard: FakeLeaderboard) -> None:
    posted = await quiz.handle(fake_deps, HERE, ALICE, "")
    assert isinstance(posted, PopPosted)
    letters = next(letter for letter in posted.question.letters
                   if letter not in right_letters(posted.question))
    if posted.question.pick > 1:
        letters += right_letters(posted.question)[0]
    await quiz.answer(fake_deps, HERE, ALICE, posted.question.round_id, letters)
    [score] = leaderboard.scores
    assert score.points == 0 and score.squad  # active in its squad


async def test_a_double_click_is_refused_without_a_second_score(
        fake_deps: Deps, leaderboard: FakeLeaderboard) -> None:
    posted = await quiz.handle(fake_deps, HERE, ALICE, "")
    assert isinstance(posted, PopPosted)
    right = right_letters(posted.question)
    await quiz.answer(fake_deps, HERE, ALICE, posted.question.round_id, right)
    with pytest.raises(AlreadyAnswered):
        await quiz.answer(fake_deps, HERE, ALICE, posted.question.round_id, right)
    assert len(leaderboard.scores) == 1


async def test_a_non_admin_cannot_turn_the_daily_question_off(fake_deps: Deps,
                                                              store: Store) -> None:
    await quiz.handle(fake_deps, HERE, ADMIN, "daily 09:00")
    with pytest.raises(NotAllowed):
        await quiz.handle(fake_deps, HERE, ALICE, "daily off")
    [channel] = store.channels.values()
    assert channel.settings.daily_time is not None


async def test_a_settings_change_stores_the_channel_s_next_due_instants_in_the_same_commit(
        fake_deps: Deps, store: Store) -> None:
    commits = store.commits
    notice = await quiz.handle(fake_deps, HERE, ADMIN, "daily 09:00 UTC daily")
    assert isinstance(notice, Notice)
    [channel] = store.channels.values()
    assert channel.due.daily is not None and channel.due.daily.hour == 9
    assert store.commits == commits + 1


async def test_a_gone_channel_is_disabled_instead_of_retried(fake_deps: Deps,
                                                             store: Store) -> None:
    from bot.domain.ports import ChannelGone

    class GonePoster(RecordingPoster):
        async def post_question(self, target: Target, view: QuestionView,
                                key: PostKey | None = None) -> str | None:
            raise ChannelGone("channel_not_found")

    clock = fake_deps.clock
    assert isinstance(clock, FrozenClock)
    fake_deps.poster = GonePoster()
    await quiz.handle(fake_deps, HERE, ADMIN, "daily 09:00 UTC daily")
    clock.advance(timedelta(days=1))
    await run_due(fake_deps)
    [channel] = store.channels.values()
    assert channel.disabled == "channel_not_found"
    clock.advance(timedelta(days=1))
    assert (await run_due(fake_deps)).questions == []
    assert [d.status.value for d in store.deliveries.values()
            if d.kind.value == "question"] == ["dropped"]


async def test_a_workspace_that_no_longer_has_the_app_is_retired_and_its_post_dropped(
        fake_deps: Deps, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    from bot.domain.ports import WorkspaceGone

    class Uninstalled(RecordingPoster):
        async def post_question(self, target: Target, view: QuestionView,
                                key: PostKey | None = None) -> str | None:
            raise WorkspaceGone("token_revoked")

    fake_deps.poster = Uninstalled()
    await quiz.handle(fake_deps, HERE, ALICE, "now")
    with caplog.at_level("WARNING"):
        await deliver_due(fake_deps, "me")  # dropped at once, not left for a retry
    [workspace] = store.workspaces.values()
    assert not workspace.active
    assert "workspace local is gone: token_revoked" in caplog.messages
    assert [d.status.value for d in store.deliveries.values()] == ["dropped"]
    [channel] = store.channels.values()
    assert channel.disabled is None  # the channel is fine: the app comes back with a command


async def test_a_post_that_failed_for_now_is_logged_in_one_line_with_its_channel_and_reason(
        fake_deps: Deps, caplog: pytest.LogCaptureFixture) -> None:
    class Down(RecordingPoster):
        async def post_question(self, target: Target, view: QuestionView,
                                key: PostKey | None = None) -> str | None:
            raise OSError("platform unavailable")

    fake_deps.poster = Down()
    await quiz.handle(fake_deps, HERE, ALICE, "now")
    with caplog.at_level("WARNING"):  # one try: the fakes would offer the retry at once
        assert (await deliver_due(fake_deps, "me")).delivered == []
    assert caplog.messages == [
        "posting to #general (general) failed: OSError: platform unavailable"]


async def test_a_gone_channel_is_logged_with_its_name_id_and_reason(
        fake_deps: Deps, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    from bot.services.delivery import disable_channel

    await quiz.handle(fake_deps, HERE, ADMIN, "daily 09:00 UTC daily")
    [channel] = store.channels.values()
    with caplog.at_level("WARNING"):
        await disable_channel(fake_deps, channel, "channel_not_found")
    assert "disabling channel general (general): channel_not_found" in caplog.messages


async def test_topics_list_the_bank_with_counts_and_the_channel_s_choice(
        fake_deps: Deps) -> None:
    await quiz.handle(fake_deps, HERE, ADMIN, "only dynamodb")
    view = await quiz.handle(fake_deps, HERE, ALICE, "topics")
    assert isinstance(view, TopicsView)
    assert view.topics == [("dynamodb", "DynamoDB", 2), ("lambda", "Lambda", 2)]
    assert view.selected == {"dynamodb"}


async def test_settings_of_a_channel_stored_without_due_instants_show_its_next_posts(
        fake_deps: Deps, store: Store) -> None:
    async with fake_deps.uow() as uow:
        workspace = await uow.workspaces.ensure("terminal", "local", "local")
        channel = await uow.channels.ensure(workspace.id, "general", "general")
        await uow.channels.save_settings(channel.id, ChannelSettings(
            daily_time=time(9, 30), days=EVERY_DAY, weekly_day=4))
        await uow.channels.disable(channel.id, "channel_not_found")
        await uow.commit()
    view = await quiz.handle(fake_deps, HERE, ALICE, "settings")
    assert isinstance(view, SettingsView)
    assert (view.channel, view.disabled) == ("general", "channel_not_found")
    assert view.next_daily[0] == datetime(2027, 3, 26, 9, 30, tzinfo=UTC)
    assert view.next_weekly == datetime(2027, 3, 26, 16, 0, tzinfo=UTC)


async def test_stats_name_whose_they_are_for_the_chart_link(fake_deps: Deps,
                                                            store: Store) -> None:
    view = await quiz.handle(fake_deps, HERE, ALICE, "stats")
    assert isinstance(view, StatsView)
    [member] = store.members.values()
    assert (view.member_id, view.workspace_id) == (member.id, member.workspace_id)


async def test_stopping_with_no_exam_running_says_how_to_start_one(fake_deps: Deps) -> None:
    notice = await quiz.handle(fake_deps, HERE, ALICE, "exam stop")
    assert notice == Notice("You have no mock exam running. Start one with `/quiz exam`.")


async def test_a_practice_question_shows_its_topic_s_title_in_the_channel_s_zone(
        fake_deps: Deps) -> None:
    await quiz.handle(fake_deps, HERE, ADMIN, "daily 09:00 Asia/Tokyo")
    practice = await quiz.handle(fake_deps, HERE, ALICE, "me lambda")
    assert isinstance(practice, QuestionView)
    assert (practice.topic, practice.topic_title, practice.zone) == (
        "lambda", "Lambda", "Asia/Tokyo")


async def test_with_no_questions_at_all_there_is_no_practice(fake_deps: Deps,
                                                            store: Store) -> None:
    store.questions.clear()
    with pytest.raises(QuizError) as refused:
        await quiz.handle(fake_deps, HERE, ALICE, "me")
    assert str(refused.value) == ("There are no questions to practice yet; ask an admin to "
                                  "load the bank.")


async def test_channels_stored_without_due_instants_are_planned_a_batch_per_transaction(
        fake_deps: Deps, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "BATCH", 2)
    async with fake_deps.uow() as uow:
        workspace = await uow.workspaces.ensure("terminal", "local", "local")
        for n in range(4):
            channel = await uow.channels.ensure(workspace.id, f"C{n}", f"room{n}")
            await uow.channels.save_settings(channel.id, ChannelSettings(
                daily_time=time(9, 30), days=EVERY_DAY))
        await uow.commit()
    commits = store.commits
    assert await planning.plan_unplanned(fake_deps) == 4
    assert store.commits - commits == 3  # two full batches, then one that finds none left


async def test_a_daily_question_never_asks_what_the_workspace_s_reports_hold_back(
        fake_deps: Deps) -> None:
    admin = Who("A1", "ada", is_admin=True)
    lambda_only, everything = Where("slack", "T1", "C1"), Where("slack", "T1", "C2")
    for where in (lambda_only, everything):
        await quiz.handle(fake_deps, where, admin, "daily 10:00 UTC daily")
    await quiz.handle(fake_deps, lambda_only, admin, "only lambda")
    await hold_back(fake_deps, "slack", "T1",
                    [q.id for q in SAMPLE_QUESTIONS if q.topic == "lambda"], fake_deps.clock.now())
    assert isinstance(fake_deps.clock, FrozenClock)
    fake_deps.clock.advance(timedelta(hours=1))

    opened = await run_due(fake_deps)

    # The lambda-only channel has nothing left to ask; the other channel still gets its own.
    assert [view.topic for view in opened.questions] == ["dynamodb"]
    assert isinstance(fake_deps.poster, RecordingPoster)
    assert [target.channel for target, _ in fake_deps.poster.questions] == ["C2"]
