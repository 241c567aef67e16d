"""`/quiz review` on the fakes: the latest miss comes back, shown as its channel shows it."""

from __future__ import annotations

from bot.domain.model import Where, Who
from bot.domain.views import Notice, QuestionView, ReviewQuestion
from bot.services import quiz
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS, wrong_letters
from tests.unit.fake_deps import START, deps_on, hold_back
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ADMIN = Who("A1", "ada", is_admin=True)
ANN = Who("U1", "ann")


async def _miss(deps: Deps, who: Who = ANN) -> QuestionView:
    practice = await quiz.handle(deps, HERE, who, "me dynamodb")
    assert isinstance(practice, QuestionView)
    await quiz.answer(deps, HERE, who, practice.round_id, wrong_letters(practice))
    return practice


async def test_a_review_asks_the_miss_again_with_its_topic_s_title_in_the_channel_s_zone(
        deps: Deps) -> None:
    await quiz.handle(deps, HERE, ADMIN, "daily 09:00 Europe/Berlin")
    missed = await _miss(deps)

    review = await quiz.handle(deps, HERE, ANN, "review")

    assert isinstance(review, ReviewQuestion) and review.left == 1
    asked = review.question
    assert (asked.text, asked.topic, asked.topic_title) == (missed.text, "dynamodb", "DynamoDB")
    assert asked.zone == "Europe/Berlin" and asked.round_id != missed.round_id


async def test_a_missed_question_held_back_by_reports_is_not_reviewed(deps: Deps) -> None:
    missed = await _miss(deps)
    question_id = next(q.id for q in SAMPLE_QUESTIONS if q.text == missed.text)
    await hold_back(deps, "slack", "T1", [question_id], deps.clock.now())
    review = await quiz.handle(deps, HERE, ANN, "review")
    assert isinstance(review, Notice) and review.text.startswith("Nothing to review")


async def test_a_review_of_a_question_whose_topic_has_no_title_shows_the_topic_itself() -> None:
    store = Store()
    deps = await deps_on(store, START)
    await _miss(deps)
    store.topics.clear()  # a bank whose questions name topics it does not list
    review = await quiz.handle(deps, HERE, ANN, "review")
    assert isinstance(review, ReviewQuestion)
    assert review.question.topic_title == review.question.topic == "dynamodb"
