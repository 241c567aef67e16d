"""A round played through the services on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.errors import AlreadyAnswered, NotAllowed, QuizError, RoundClosed
from bot.domain.model import Where, Who
from bot.domain.views import PopPosted, Receipt, Verdict
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due
from tests.recording import RecordingPoster
from tests.sample import right_letters, wrong_letters

HERE = Where("slack", "T1", "C1", "Acme", "general")
ALICE = Who("U1", "alice")
BOB = Who("U2", "bob")


async def pop(deps: Deps) -> PopPosted:
    view = await quiz.handle(deps, HERE, ALICE, "now")
    assert isinstance(view, PopPosted)
    return view


async def test_a_pop_quiz_is_posted_answered_and_revealed_with_the_vote_split(
        deps: Deps, clock: FrozenClock, poster: RecordingPoster) -> None:
    posted = (await pop(deps)).question
    await run_due(deps)
    assert poster.questions[0][1] == posted

    receipt = await quiz.answer(deps, HERE, ALICE, posted.round_id, right_letters(posted))
    await quiz.answer(deps, HERE, BOB, posted.round_id, wrong_letters(posted))
    assert isinstance(receipt, Receipt)

    clock.advance(timedelta(minutes=10))
    [reveal] = (await run_due(deps)).reveals
    assert reveal.correct == right_letters(posted)
    assert reveal.answers == 2
    assert [w.name for w in reveal.winners] == ["alice"]
    assert sum(count for _, count in reveal.votes) == 2 * posted.pick
    assert poster.reveals[0][1] == f"msg-{posted.round_id}"


async def test_the_first_answer_counts_and_a_second_one_is_refused(deps: Deps) -> None:
    posted = (await pop(deps)).question
    await quiz.answer(deps, HERE, ALICE, posted.round_id, wrong_letters(posted))
    with pytest.raises(AlreadyAnswered, match="first answer counts"):
        await quiz.answer(deps, HERE, ALICE, posted.round_id, right_letters(posted))
    board = await quiz.handle(deps, HERE, ALICE, "leaderboard")
    assert board.rows == []  # type: ignore[union-attr]


async def test_an_answer_after_the_window_is_refused_politely(deps: Deps,
                                                              clock: FrozenClock) -> None:
    posted = (await pop(deps)).question
    clock.advance(timedelta(minutes=11))
    with pytest.raises(RoundClosed, match="closed at 09:09"):
        await quiz.answer(deps, HERE, ALICE, posted.round_id, "a")


async def test_a_choice_that_does_not_exist_is_refused_and_nothing_is_stored(deps: Deps) -> None:
    posted = (await pop(deps)).question
    with pytest.raises(QuizError, match="There is no choice H"):
        await quiz.answer(deps, HERE, ALICE, posted.round_id, "h")
    await quiz.answer(deps, HERE, ALICE, posted.round_id, right_letters(posted))


async def test_only_one_pop_quiz_runs_in_a_channel_at_a_time(deps: Deps) -> None:
    await pop(deps)
    with pytest.raises(QuizError, match="already running"):
        await pop(deps)


async def test_practice_gives_an_immediate_verdict_and_one_point(deps: Deps) -> None:
    question = await quiz.handle(deps, HERE, ALICE, "me dynamodb")
    verdict = await quiz.answer(deps, HERE, ALICE, question.round_id,  # type: ignore[union-attr]
                                right_letters(question))  # type: ignore[arg-type]
    assert isinstance(verdict, Verdict)
    assert verdict.correct and verdict.points == 1
    assert verdict.explanation.startswith("Because of dynamodb-")


async def test_someone_elses_practice_question_cannot_be_answered(deps: Deps) -> None:
    question = await quiz.handle(deps, HERE, ALICE, "me")
    with pytest.raises(NotAllowed, match="someone else's"):
        await quiz.answer(deps, HERE, BOB, question.round_id, "a")  # type: ignore[union-attr]


async def test_an_unknown_practice_topic_names_the_known_ones(deps: Deps) -> None:
    with pytest.raises(QuizError, match=r"I don't know the topic `ec9`.*dynamodb, lambda"):
        await quiz.handle(deps, HERE, ALICE, "me ec9")


async def test_practice_scores_at_most_ten_points_a_day(deps: Deps, clock: FrozenClock) -> None:
    points = []
    for _ in range(12):
        question = await quiz.handle(deps, HERE, ALICE, "me")
        verdict = await quiz.answer(deps, HERE, ALICE,
                                    question.round_id,  # type: ignore[union-attr]
                                    right_letters(question))  # type: ignore[arg-type]
        points.append(verdict.points)  # type: ignore[union-attr]
        clock.advance(timedelta(minutes=1))
    assert points == [1] * 10 + [0, 0]
