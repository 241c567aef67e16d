"""Mock exams on the fakes: start, resume, answer one at a time, refusals word for word."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.errors import AlreadyAnswered, NotAllowed, QuizError
from bot.domain.model import Where, Who
from bot.domain.views import ExamQuestion, ExamResult
from bot.services import quiz
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS
from tests.unit.fake_deps import START, hold_back
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ANN = Who("U1", "ann")
BY_TEXT = {q.text: q for q in SAMPLE_QUESTIONS}


def right(asked: ExamQuestion) -> str:
    """The letters of the right choices as this exam question shows them."""
    question = BY_TEXT[asked.text]
    texts = {question.choices[i] for i in question.answer}
    return "".join(letter for letter, text in asked.choices if text in texts)


async def _start(deps: Deps, size: int = 2, who: Who = ANN) -> ExamQuestion:
    first = await quiz.handle(deps, HERE, who, f"exam {size}")
    assert isinstance(first, ExamQuestion)
    return first


async def test_an_exam_asks_its_questions_in_turn_and_scores_them_at_the_end(
        deps: Deps) -> None:
    first = await _start(deps)
    assert (first.number, first.size, first.minutes_left, first.resumed) == (1, 2, 4, False)
    second = await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    assert isinstance(second, ExamQuestion) and second.number == 2
    result = await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 2, right(second))
    assert isinstance(result, ExamResult) and result.exam_id == first.exam_id
    assert (result.score.answered, result.score.correct, result.score.timed_out) == (2, 2, False)
    again = await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 2, right(second))
    assert again == result  # a finished exam only shows its result


async def test_a_finished_exam_keeps_whose_it_is_and_when_it_ran(deps: Deps, store: Store,
                                                                 clock: FrozenClock) -> None:
    first = await _start(deps, size=1)
    clock.advance(timedelta(minutes=1))
    await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    [member] = store.members.values()
    exam = store.exams[first.exam_id]
    assert (exam.workspace_id, exam.member_id) == (member.workspace_id, member.id)
    assert (exam.started_at, exam.ends_at) == (START, START + timedelta(minutes=2))
    assert exam.finished_at == START + timedelta(minutes=1)


async def test_asking_for_an_exam_while_one_runs_resumes_it_where_it_was_left(
        deps: Deps, clock: FrozenClock) -> None:
    first = await _start(deps)
    second = await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    clock.advance(timedelta(minutes=1, seconds=30))
    resumed = await quiz.handle(deps, HERE, ANN, "exam 5")
    assert isinstance(resumed, ExamQuestion) and isinstance(second, ExamQuestion)
    assert (resumed.exam_id, resumed.number, resumed.text) == (first.exam_id, 2, second.text)
    assert (resumed.resumed, resumed.minutes_left) == (True, 3)


async def test_an_exam_whose_time_ran_out_is_scored_when_next_asked_for(
        deps: Deps, clock: FrozenClock, store: Store) -> None:
    first = await _start(deps)
    await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    clock.advance(timedelta(minutes=4))
    result = await quiz.handle(deps, HERE, ANN, "exam")
    assert isinstance(result, ExamResult) and result.exam_id == first.exam_id
    assert (result.score.answered, result.score.correct, result.score.timed_out) == (1, 1, True)
    assert store.exams[first.exam_id].finished_at == START + timedelta(minutes=4)


async def test_an_answer_after_the_time_ran_out_is_not_counted(
        deps: Deps, clock: FrozenClock) -> None:
    first = await _start(deps)
    clock.advance(timedelta(minutes=4))
    result = await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    assert isinstance(result, ExamResult)
    assert (result.score.answered, result.score.timed_out) == (0, True)


async def test_stopping_an_exam_scores_what_was_answered(deps: Deps) -> None:
    first = await _start(deps)
    await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    result = await quiz.handle(deps, HERE, ANN, "exam stop")
    assert isinstance(result, ExamResult) and result.exam_id == first.exam_id
    assert (result.score.answered, result.score.correct, result.score.timed_out) == (1, 1, False)


async def test_a_question_answered_already_names_the_one_to_answer_now(deps: Deps) -> None:
    first = await _start(deps)
    await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    with pytest.raises(AlreadyAnswered) as refused:
        await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    assert str(refused.value) == ("You answered question 1 already; question 2 is the one to "
                                  "answer now.")


@pytest.mark.parametrize(("letters", "named"), [("z", "Z"), ("y,z", "Y, Z")])
async def test_every_letter_that_is_no_choice_is_refused_by_name_with_the_range(
        deps: Deps, letters: str, named: str) -> None:
    first = await _start(deps)
    last = first.choices[-1][0]
    with pytest.raises(QuizError) as refused:
        await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, letters)
    assert str(refused.value) == f"There is no choice {named}: pick from A–{last}."


async def test_a_mock_exam_answer_goes_into_the_review_schedule_as_right_or_missed(
        deps: Deps, store: Store) -> None:
    first = await _start(deps)
    second = await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 1, right(first))
    assert isinstance(second, ExamQuestion)
    letters = [letter for letter, _ in second.choices]
    wrong = next("".join(picked) for picked in combinations(letters, second.pick)
                 if "".join(picked) != right(second))
    await quiz.answer_exam(deps, HERE, ANN, first.exam_id, 2, wrong)
    missed = {m.question_id: m.missed_at for m in store.memories.values()}
    assert missed == {BY_TEXT[first.text].id: None, BY_TEXT[second.text].id: START}


async def test_the_wrong_number_of_choices_is_refused_with_an_example(deps: Deps) -> None:
    first = await _start(deps, size=4)
    asked: ExamQuestion | ExamResult = first
    hints = {}
    for number in range(1, 5):
        assert isinstance(asked, ExamQuestion)
        wrong = "ab" if asked.pick == 1 else "a"
        with pytest.raises(QuizError) as refused:
            await quiz.answer_exam(deps, HERE, ANN, first.exam_id, number, wrong)
        hints[asked.pick] = str(refused.value)
        asked = await quiz.answer_exam(deps, HERE, ANN, first.exam_id, number, right(asked))
    assert hints == {1: "This question takes one choice, like `a`.",
                     2: "This question takes 2 choices, like `a,b`."}


async def test_someone_else_s_exam_cannot_be_answered(deps: Deps) -> None:
    first = await _start(deps)
    with pytest.raises(NotAllowed) as refused:
        await quiz.answer_exam(deps, HERE, Who("U2", "ben"), first.exam_id, 1, right(first))
    assert str(refused.value) == ("That mock exam is someone else's. Start your own with "
                                  "`/quiz exam`.")
    await quiz.handle(deps, HERE, Who("U2", "ben"), "topics")  # ben is a member now
    with pytest.raises(NotAllowed) as refused:
        await quiz.answer_exam(deps, HERE, Who("U2", "ben"), first.exam_id, 1, right(first))
    assert "someone else's" in str(refused.value)


@pytest.mark.parametrize("where", [Where("slack", "T2", "C1", "Other", "general"),
                                   Where("slack", "T404", "C1")])
async def test_an_exam_of_another_workspace_cannot_be_answered(deps: Deps, where: Where) -> None:
    first = await _start(deps)
    await quiz.handle(deps, Where("slack", "T2", "C1", "Other", "general"), ANN, "topics")
    with pytest.raises(NotAllowed) as refused:
        await quiz.answer_exam(deps, where, ANN, first.exam_id, 1, right(first))
    assert str(refused.value) == "That exam isn't from this workspace."


async def test_an_exam_that_does_not_exist_cannot_be_answered(deps: Deps) -> None:
    await _start(deps)
    with pytest.raises(NotAllowed) as refused:
        await quiz.answer_exam(deps, HERE, ANN, 999, 1, "a")
    assert str(refused.value) == "That exam isn't from this workspace."


async def test_an_exam_leaves_out_questions_held_back_by_reports(deps: Deps) -> None:
    await quiz.handle(deps, HERE, ANN, "topics")
    await hold_back(deps, "slack", "T1", [q.id for q in SAMPLE_QUESTIONS[1:]], START)
    first = await _start(deps, size=4)
    assert (first.size, first.text) == (1, SAMPLE_QUESTIONS[0].text)


async def test_with_no_questions_at_all_there_is_no_exam(deps: Deps, store: Store) -> None:
    store.questions.clear()
    with pytest.raises(QuizError) as refused:
        await quiz.handle(deps, HERE, ANN, "exam")
    assert str(refused.value) == ("There are no questions for an exam yet; ask an admin to load "
                                  "the bank.")
