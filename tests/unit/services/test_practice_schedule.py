"""`/quiz me` follows each member's spaced-repetition schedule; every answer feeds it."""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.clock import FrozenClock
from bot.domain.model import Where, Who
from bot.domain.views import PopPosted, QuestionView, ReviewQuestion, StatsView
from bot.services import quiz
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS, right_letters, wrong_letters
from tests.unit.fakes import Store

HERE = Where("terminal", "local", "general")
ALICE = Who("alice", "alice")


async def _practise(deps: Deps, right: bool, topic: str = "") -> QuestionView:
    view = await quiz.handle(deps, HERE, ALICE, f"me {topic}".strip())
    assert isinstance(view, QuestionView)
    letters = right_letters(view) if right else wrong_letters(view)
    await quiz.answer(deps, HERE, ALICE, view.round_id, letters)
    return view


async def test_a_missed_practice_question_comes_back_first_once_it_is_due(
        deps: Deps, clock: FrozenClock) -> None:
    missed = await _practise(deps, right=False)
    clock.advance(timedelta(minutes=1))
    assert (await _practise(deps, right=True)).text != missed.text
    clock.advance(timedelta(minutes=10))
    again = await quiz.handle(deps, HERE, ALICE, "me")
    assert isinstance(again, QuestionView) and again.text == missed.text


async def test_every_new_question_is_seen_before_a_learnt_one_repeats(deps: Deps) -> None:
    seen = [(await _practise(deps, right=True)).text for _ in SAMPLE_QUESTIONS]
    assert len(set(seen)) == len(SAMPLE_QUESTIONS)


async def test_practice_on_a_topic_stays_on_that_topic(deps: Deps) -> None:
    for _ in range(3):
        assert (await _practise(deps, right=True, topic="lambda")).topic == "lambda"


async def test_a_pop_quiz_answer_feeds_the_schedule_when_it_is_next_read(
        deps: Deps, store: Store) -> None:
    posted = await quiz.handle(deps, HERE, ALICE, "")
    assert isinstance(posted, PopPosted)
    await quiz.answer(deps, HERE, ALICE, posted.question.round_id,
                      wrong_letters(posted.question))
    assert store.memories == {}  # the click stores the answer and nothing more
    review = await quiz.handle(deps, HERE, ALICE, "review")
    assert isinstance(review, ReviewQuestion) and review.question.text == posted.question.text
    [memory] = store.memories.values()
    assert memory.missed_at is not None and memory.reviews == 1


async def test_an_answer_is_taken_into_the_schedule_once_however_often_it_is_read(
        deps: Deps, store: Store) -> None:
    await _practise(deps, right=False)
    for _ in range(3):
        assert isinstance(await quiz.handle(deps, HERE, ALICE, "stats"), StatsView)
    [memory] = store.memories.values()
    assert memory.reviews == 1


async def test_stats_say_how_many_reviews_are_due_today(deps: Deps,
                                                        clock: FrozenClock) -> None:
    await _practise(deps, right=False)
    await _practise(deps, right=True)
    stats = await quiz.handle(deps, HERE, ALICE, "stats")
    assert isinstance(stats, StatsView)
    assert stats.due_today == 1
    assert stats.readiness is not None and stats.readiness.score is None
