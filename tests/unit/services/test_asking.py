"""Pop quizzes and practice questions on the fakes: which question is asked, and refusals word
for word."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.errors import QuizError
from bot.domain.model import Where, Who
from bot.domain.views import HelpView, PopPosted, QuestionView
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.quiz import HELP
from tests.sample import SAMPLE_QUESTIONS
from tests.unit.fake_deps import START, hold_back
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ANN = Who("U1", "ann")
ADMIN = Who("U0", "root", is_admin=True)


async def _pop(deps: Deps) -> QuestionView:
    posted = await quiz.handle(deps, HERE, ANN, "now")
    assert isinstance(posted, PopPosted)
    return posted.question


@pytest.mark.parametrize(("who", "command"), [(ANN, "now"), (ANN, "topics"), (ANN, "settings"),
                                               (ANN, "leaderboard"), (ADMIN, "daily 09:00")])
async def test_whoever_runs_a_command_becomes_a_member_of_the_workspace(
        deps: Deps, store: Store, who: Who, command: str) -> None:
    await quiz.handle(deps, HERE, who, command)
    assert [(m.external_id, m.display_name) for m in store.members.values()] == [
        (who.external_id, who.display_name)]


async def test_a_channel_asks_every_question_once_before_it_repeats_one(
        deps: Deps, clock: FrozenClock) -> None:
    asked = []
    for _ in range(2 * len(SAMPLE_QUESTIONS)):
        asked.append((await _pop(deps)).text)
        clock.advance(timedelta(minutes=11))  # the pop quiz's window is over
    expected = sorted(q.text for q in SAMPLE_QUESTIONS)
    assert sorted(asked[:len(expected)]) == expected
    assert sorted(asked[len(expected):]) == expected


async def test_a_pop_quiz_never_asks_a_question_the_workspace_s_reports_hold_back(
        deps: Deps, clock: FrozenClock) -> None:
    await quiz.handle(deps, HERE, ANN, "topics")
    kept = SAMPLE_QUESTIONS[2]
    await hold_back(deps, "slack", "T1", [q.id for q in SAMPLE_QUESTIONS if q != kept], START)
    for _ in range(3):
        assert (await _pop(deps)).text == kept.text
        clock.advance(timedelta(minutes=11))


async def test_a_channel_whose_topics_match_no_question_is_told_how_to_widen_them(
        deps: Deps, store: Store) -> None:
    store.questions.clear()
    with pytest.raises(QuizError) as refused:
        await quiz.handle(deps, HERE, ANN, "now")
    assert str(refused.value) == ("No questions match this channel's topics. "
                                  "Widen them with `/quiz only all`.")


async def test_a_second_pop_quiz_is_refused_with_the_day_the_running_one_closes(
        deps: Deps, clock: FrozenClock) -> None:
    clock.set(datetime(2027, 3, 26, 23, 55, tzinfo=UTC))  # it closes after midnight
    await _pop(deps)
    with pytest.raises(QuizError) as refused:
        await _pop(deps)
    assert str(refused.value) == ("A pop quiz is already running here; it closes at "
                                  "Sat 27 Mar 00:05. Answer that one first!")


async def test_a_question_whose_topic_has_no_title_shows_the_topic_itself(
        deps: Deps, store: Store) -> None:
    store.topics.clear()  # a bank whose questions name topics it does not list
    pop = await _pop(deps)
    practice = await quiz.handle(deps, HERE, ANN, "me")
    assert isinstance(practice, QuestionView)
    for view in (pop, practice):
        assert view.topic_title == view.topic != ""


async def test_help_answers_with_the_list_of_commands(deps: Deps) -> None:
    shown = await quiz.handle(deps, HERE, ANN, "help")
    assert shown == HelpView(HELP)
