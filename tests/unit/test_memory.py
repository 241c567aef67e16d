"""Spaced repetition: FSRS schedules each question, and practice follows the schedule."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.memory import Memory, due_count, missed, pick_next, remember
from bot.domain.model import ExamDomain
from tests.sample import SAMPLE_QUESTIONS

NOW = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
BY_ID = {q.id: q for q in SAMPLE_QUESTIONS}


def test_a_right_first_answer_comes_back_in_days() -> None:
    memory = remember(None, 1, "dynamodb-a", correct=True, at=NOW)
    assert memory.due - NOW >= timedelta(days=1)
    assert memory.reviews == 1 and memory.missed_at is None


def test_a_wrong_answer_comes_back_within_the_hour_and_is_remembered_as_missed() -> None:
    memory = remember(None, 1, "dynamodb-a", correct=False, at=NOW)
    assert memory.due - NOW == timedelta(minutes=10)
    assert memory.missed_at == NOW


def test_each_right_review_pushes_the_next_one_further_out() -> None:
    first = remember(None, 1, "dynamodb-a", correct=True, at=NOW)
    second = remember(first, 1, "dynamodb-a", correct=True, at=first.due)
    assert second.due - first.due > first.due - NOW


def test_forgetting_a_learnt_question_counts_a_lapse_and_brings_it_back_soon() -> None:
    learnt = remember(None, 1, "dynamodb-a", correct=True, at=NOW)
    forgotten = remember(learnt, 1, "dynamodb-a", correct=False, at=learnt.due)
    assert forgotten.lapses == 1
    assert forgotten.due - learnt.due == timedelta(minutes=10)
    assert forgotten.stability is not None and learnt.stability is not None
    assert forgotten.stability < learnt.stability


def test_a_right_answer_puts_a_miss_right() -> None:
    wrong = remember(None, 1, "dynamodb-a", correct=False, at=NOW)
    assert remember(wrong, 1, "dynamodb-a", correct=True, at=NOW).missed_at is None


def _memories(*pairs: tuple[str, datetime]) -> dict[str, Memory]:
    made = {}
    for qid, due in pairs:
        made[qid] = Memory(1, qid, 2, None, 3.0, 5.0, due, NOW - timedelta(days=3))
    return made


def test_practice_gives_the_most_overdue_review_first() -> None:
    memories = _memories(("dynamodb-a", NOW - timedelta(hours=1)),
                         ("lambda-a", NOW - timedelta(days=2)))
    picked = pick_next(SAMPLE_QUESTIONS, memories, NOW, None, random.Random(1))
    assert picked is not None and picked.id == "lambda-a"


def test_with_nothing_due_practice_gives_a_new_question() -> None:
    memories = _memories(("dynamodb-a", NOW + timedelta(days=2)))
    for seed in range(20):
        picked = pick_next(SAMPLE_QUESTIONS, memories, NOW, None, random.Random(seed))
        assert picked is not None and picked.id != "dynamodb-a"


def test_new_questions_lean_towards_the_weakest_domain() -> None:
    picks = [pick_next(SAMPLE_QUESTIONS, {}, NOW, ExamDomain.SECURITY, random.Random(seed))
             for seed in range(600)]
    security = sum(1 for q in picks if q is not None and q.domain is ExamDomain.SECURITY)
    # Weighted 3 against 1 for each of the three others: half the picks, give or take.
    assert 240 < security < 360


def test_when_everything_is_learnt_practice_takes_the_one_due_soonest() -> None:
    memories = _memories(*((q.id, NOW + timedelta(days=i + 1))
                           for i, q in enumerate(reversed(SAMPLE_QUESTIONS))))
    picked = pick_next(SAMPLE_QUESTIONS, memories, NOW, None, random.Random(1))
    assert picked is not None and picked.id == SAMPLE_QUESTIONS[-1].id


def test_due_today_counts_reviews_due_by_the_end_of_the_day() -> None:
    memories = _memories(("dynamodb-a", NOW - timedelta(days=1)),
                         ("lambda-a", NOW + timedelta(hours=5)),
                         ("dynamodb-b", NOW + timedelta(days=3)))
    assert due_count(memories.values(), NOW + timedelta(hours=15)) == 2


def test_misses_come_latest_first() -> None:
    early = remember(None, 1, "dynamodb-a", correct=False, at=NOW)
    late = remember(None, 1, "lambda-a", correct=False, at=NOW + timedelta(hours=1))
    fixed = remember(remember(None, 1, "dynamodb-b", correct=False, at=NOW), 1, "dynamodb-b",
                     correct=True, at=NOW + timedelta(hours=2))
    assert [m.question_id for m in missed([early, late, fixed])] == ["lambda-a", "dynamodb-a"]


def test_each_review_carries_the_card_s_whole_state_into_the_next() -> None:
    # FSRS's figures for this history: a slip, then three right answers, the last one late.
    # Any part of the state dropped between reviews (step, stability, due, last review)
    # changes them.
    slip = remember(None, 1, "q", correct=False, at=NOW)
    again = remember(slip, 1, "q", correct=True, at=slip.due)
    then = remember(again, 1, "q", correct=True, at=again.due)
    late = remember(then, 1, "q", correct=True, at=then.due + timedelta(days=3))
    assert (slip.state, slip.step, slip.due) == (1, 0, NOW + timedelta(minutes=10))
    assert (again.state, again.step, again.reviews, again.missed_at) == (2, None, 2, None)
    assert again.due == datetime(2027, 3, 27, 9, 10, tzinfo=UTC)
    assert then.due == datetime(2027, 3, 29, 9, 10, tzinfo=UTC)
    assert late.last_review == datetime(2027, 4, 1, 9, 10, tzinfo=UTC)
    assert late.due == datetime(2027, 4, 11, 9, 10, tzinfo=UTC)
    assert late.stability is not None and round(late.stability, 3) == 9.972
    assert late.difficulty is not None and round(late.difficulty, 3) == 6.380


def test_a_review_is_due_from_its_due_instant_on() -> None:
    memory = remember(None, 1, "dynamodb-a", correct=False, at=NOW)
    tick = timedelta(microseconds=1)
    assert not memory.is_due(memory.due - tick)
    assert memory.is_due(memory.due)
    assert due_count([memory], memory.due - tick) == 0
    assert due_count([memory], memory.due) == 1


def test_a_slip_on_a_learned_question_counts_a_lapse_and_sends_it_to_relearning() -> None:
    learned = remember(None, 1, "q", correct=True, at=NOW)
    slip = remember(learned, 1, "q", correct=False, at=learned.due)
    assert (learned.state, slip.state, slip.lapses) == (2, 3, 1)


def test_a_relearned_question_returns_to_review_and_its_lapses_add_up() -> None:
    learned = remember(None, 1, "q", correct=True, at=NOW)
    slip = remember(learned, 1, "q", correct=False, at=learned.due)
    relearned = remember(slip, 1, "q", correct=True, at=slip.due)
    slip_again = remember(relearned, 1, "q", correct=False, at=relearned.due)
    assert (relearned.state, relearned.lapses) == (2, 1)  # a right answer is no lapse
    assert slip_again.lapses == 2


def test_an_answer_older_than_the_last_review_counts_as_given_at_that_review() -> None:
    first = remember(None, 1, "q", correct=True, at=NOW)
    older = remember(first, 1, "q", correct=False, at=NOW - timedelta(hours=1))
    assert (older.last_review, older.missed_at) == (NOW, NOW)


def test_a_new_question_is_picked_the_same_whatever_order_the_pool_comes_in() -> None:
    base = BY_ID["dynamodb-a"]
    pool = [replace(base, id=f"{base.id}-{n}") for n in range(5)]
    for seed in range(5):
        picked = [pick_next(order, {}, NOW, None, random.Random(seed)) for order in (pool,
                                                                              pool[::-1])]
        assert picked[0] is not None and picked[0] == picked[1]
