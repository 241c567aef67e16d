"""Mock exams: domain proportions, one deadline, a score by domain on the 100–1000 scale."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.domain.exam import Exam, duration, minutes_left, plan, quotas, score
from bot.domain.model import Difficulty, ExamDomain, Question

NOW = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


def _bank(per_domain: int) -> list[Question]:
    return [Question(f"{d}-{n}", "t", d, Difficulty.MEDIUM, f"{d} {n}?", ("a", "b", "c"),
                     frozenset({0}), f"why {d} {n}") for d in ExamDomain
            for n in range(per_domain)]


def test_the_default_exam_follows_the_exam_guide_proportions() -> None:
    # 6.4, 5.2, 4.8 and 3.6: the two largest remainders round up.
    assert quotas(20) == {ExamDomain.DEVELOPMENT: 6, ExamDomain.SECURITY: 5,
                          ExamDomain.DEPLOYMENT: 5, ExamDomain.TROUBLESHOOTING: 4}
    assert sum(quotas(65).values()) == 65 and quotas(65)[ExamDomain.DEVELOPMENT] == 21


def test_a_full_exam_lasts_130_minutes() -> None:
    assert duration(65) == timedelta(minutes=130)


def test_a_plan_takes_each_question_once_in_the_proportions() -> None:
    chosen = plan(_bank(10), 20, random.Random(1))
    assert len({q.id for q in chosen}) == 20
    assert sum(q.domain is ExamDomain.DEVELOPMENT for q in chosen) == 6


def test_a_domain_short_of_questions_is_topped_up_from_the_others() -> None:
    bank = [q for q in _bank(10) if q.domain is not ExamDomain.SECURITY or q.id.endswith("-0")]
    chosen = plan(bank, 20, random.Random(1))
    assert len(chosen) == 20
    assert sum(q.domain is ExamDomain.SECURITY for q in chosen) == 1


def _exam(bank: list[Question], answers: list[int | None]) -> Exam:
    return Exam(1, 1, 1, tuple(q.id for q in bank), tuple(
        frozenset({a}) if a is not None else None for a in answers), 7, NOW,
        NOW + duration(len(bank)))


def test_all_right_scores_1000_and_passes() -> None:
    bank = _bank(1)
    result = score(_exam(bank, [0, 0, 0, 0]), {q.id: q for q in bank}, timed_out=False)
    assert (result.correct, result.score, result.passed, result.missed) == (4, 1000, True, [])


def test_misses_and_unanswered_questions_come_back_with_their_explanation() -> None:
    bank = _bank(1)
    result = score(_exam(bank, [0, 1, None, 0]), {q.id: q for q in bank}, timed_out=True)
    assert result.correct == 2 and result.timed_out and not result.passed
    assert [(m.number, bool(m.yours)) for m in result.missed] == [(2, True), (3, False)]
    assert result.missed[0].explanation == "why security 0"
    # Development (32) and troubleshooting (18) right out of 100: 100 + 900 × 0.5.
    assert result.score == 550


def test_the_time_left_is_counted_in_whole_minutes_rounded_up() -> None:
    exam = _exam(_bank(1), [None] * 4)
    assert minutes_left(exam, NOW) == 8
    assert minutes_left(exam, NOW + timedelta(minutes=7, seconds=30)) == 1
    assert exam.timed_out(NOW + timedelta(minutes=8)) and minutes_left(exam, NOW + duration(9)) == 0


def test_an_exam_score_weights_domains_and_lists_every_miss_with_the_right_choices() -> None:
    def q(qid: str, domain: ExamDomain, answer: set[int]) -> Question:
        return Question(qid, "t", domain, Difficulty.EASY, f"{qid}?", ("a", "b", "c", "d"),
                        frozenset(answer), f"why {qid}")

    questions = {"d1": q("d1", ExamDomain.DEVELOPMENT, {0}),
                 "d2": q("d2", ExamDomain.DEVELOPMENT, {1}),
                 "s1": q("s1", ExamDomain.SECURITY, {2, 3}),
                 "s2": q("s2", ExamDomain.SECURITY, {0})}
    start = NOW
    exam = Exam(1, 1, 1, ("d1", "d2", "s1", "s2"),
                (frozenset({0}), frozenset({2}), frozenset({2, 3}), None), 5, start,
                start + timedelta(minutes=8))
    result = score(exam, questions, timed_out=True)
    assert (result.size, result.answered, result.correct, result.timed_out) == (4, 3, 2, True)
    assert result.by_domain == [(ExamDomain.DEVELOPMENT, 1, 2), (ExamDomain.SECURITY, 1, 2)]
    assert result.score == 550  # half right in both domains: 100 + 900 × 0.5
    d2, s2 = result.missed
    shown = exam.presentation(questions["d2"], 1)
    assert (d2.number, d2.text, d2.explanation) == (2, "d2?", "why d2")
    assert d2.yours == shown.letters_for(frozenset({2}))
    assert d2.correct == [(shown.correct_letters, "b")]
    assert (s2.number, s2.yours) == (4, "")
    right = exam.presentation(questions["s2"], 3).correct_letters
    assert s2.correct == [(right, "a")]


def test_an_exam_s_score_leans_on_the_heavier_domain() -> None:
    dev = Question("d", "t", ExamDomain.DEVELOPMENT, Difficulty.EASY, "?", ("a", "b"),
                   frozenset({0}), "")
    ops = Question("o", "t", ExamDomain.TROUBLESHOOTING, Difficulty.EASY, "?", ("a", "b"),
                   frozenset({0}), "")
    start = NOW
    exam = Exam(1, 1, 1, ("d", "o"), (frozenset({0}), frozenset({1})), 5, start, start)
    # development weighs 0.32, troubleshooting 0.18: 0.32 / 0.50 of the accuracy is right.
    assert score(exam, {"d": dev, "o": ops}, timed_out=False).score == round(100 + 900 * 0.64)


def test_minutes_left_round_up_whole_minutes() -> None:
    exam = Exam(1, 1, 1, ("a",), (None,), 1, NOW, NOW + timedelta(seconds=121))
    assert minutes_left(exam, NOW) == 3
    assert minutes_left(exam, NOW + timedelta(seconds=1)) == 2
