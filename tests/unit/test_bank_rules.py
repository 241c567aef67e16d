"""Each bank rule flags what it should and passes what it should, on small synthetic banks."""

from __future__ import annotations

from dataclasses import replace

from bot.adapters.bank_rules import (
    BEYOND_THE_NOTES,
    SECTIONS,
    Rule,
    check,
    key_is_longest,
    key_is_shortest,
    question_problems,
)
from bot.adapters.question_files import Bank, Origin
from bot.domain.model import Difficulty, ExamDomain, Question

CHECKED = Origin("bank.yaml", "2026-11", "https://docs.aws.amazon.com/lambda/latest/dg/x.html")
SINGLE = ("option 1", "option 2", "option 3", "option 4")
MULTI = ("option 1", "option 2", "option 3", "option 4", "option 5")
# 460 questions: 147 development, 120 security, 110 deployment, 83 troubleshooting.
DOMAIN_COUNTS = {ExamDomain.DEVELOPMENT: 147, ExamDomain.SECURITY: 120,
                 ExamDomain.DEPLOYMENT: 110, ExamDomain.TROUBLESHOOTING: 83}


def question(qid: str, topic: str = "s3", domain: ExamDomain = ExamDomain.DEVELOPMENT,
             choices: tuple[str, ...] = SINGLE, answer: frozenset[int] = frozenset({0}),
             ) -> Question:
    return Question(qid, topic, domain, Difficulty.MEDIUM, f"Question {qid}?", choices, answer,
                    "Because.")


def bank_of(questions: list[Question], origin: Origin = CHECKED) -> Bank:
    return Bank([], questions, {q.id: origin for q in questions})


def exam_shaped() -> list[Question]:
    """460 questions that meet every rule: the exam's mix, every topic, one in five multi,
    and the key the longest choice in one single-answer question of four."""
    topics = [s for s in SECTIONS for _ in range(6)]
    topics += [t for t, minimum in BEYOND_THE_NOTES.items() for _ in range(minimum)]
    topics += ["dynamodb", "lambda", "s3"] * 9
    topics += [SECTIONS[i % len(SECTIONS)] for i in range(460 - len(topics))]
    domains = [d for d, count in DOMAIN_COUNTS.items() for _ in range(count)]
    shaped = [question(f"q-{n}", topic, domain, *((MULTI, frozenset({0, 1})) if n % 5 == 0
                                                   else (SINGLE, frozenset({0}))))
              for n, (topic, domain) in enumerate(zip(topics, domains, strict=True))]
    return [key_longest(q) if n % 5 == 1 else q for n, q in enumerate(shaped)]


def rule(questions: list[Question], name: str) -> Rule:
    return next(r for r in check(bank_of(questions)) if r.name == name)


def key_longest(q: Question) -> Question:
    """The same question with its first key a little longer than any distractor."""
    return replace(q, choices=(q.choices[0] + " +", *q.choices[1:]))


def key_shortest(q: Question) -> Question:
    """The same question with its first key a little shorter than any distractor."""
    return replace(q, choices=(q.choices[0][:-1], *q.choices[1:]))


def plain(q: Question) -> Question:
    """The same question with choices all of one length."""
    return replace(q, choices=MULTI if q.multi else SINGLE)


def with_longest_keys(questions: list[Question], multi: bool, count: int) -> list[Question]:
    """Exactly `count` questions of the kind with the key longest, the rest of it plain."""
    picked = [q.id for q in questions if q.multi == multi][:count]
    return [key_longest(plain(q)) if q.id in picked else plain(q) if q.multi == multi else q
            for q in questions]


def with_shortest_keys(questions: list[Question], count: int) -> list[Question]:
    """Exactly `count` single-answer questions with the key shortest, the rest plain."""
    picked = [q.id for q in questions if not q.multi][:count]
    return [key_shortest(plain(q)) if q.id in picked else q if q.multi else plain(q)
            for q in questions]


def test_a_bank_shaped_like_the_exam_meets_every_rule() -> None:
    bank = bank_of(exam_shaped())
    assert [f"{r.name}: {r.actual}" for r in check(bank) if not r.met] == []
    assert question_problems(bank) == []


def test_a_key_more_than_1_3_times_the_longest_distractor_is_named_with_file_id_and_field(
        ) -> None:
    long_key = question("s3-long", choices=("a" * 14, "b" * 10, "c" * 6, "d" * 10))
    [problem] = [str(p) for p in question_problems(bank_of([long_key]))]
    assert problem.startswith("bank.yaml: s3-long: choices: the key has 14 characters, "
                              "the longest distractor 10 (1.40×, at most 1.3×)")
    assert rule([long_key], "no key longer than 1.3× the longest distractor").actual == \
        "1 longer"


def test_a_key_exactly_1_3_times_the_longest_distractor_passes() -> None:
    fair = question("s3-fair", choices=("a" * 13, "b" * 10, "c" * 6, "d" * 10))
    assert question_problems(bank_of([fair])) == []
    assert rule([fair], "no key longer than 1.3× the longest distractor").met


def test_in_a_multi_answer_question_any_key_that_is_too_long_is_flagged() -> None:
    multi = question("s3-multi", choices=("a" * 5, "b" * 20, "c" * 10, "d" * 12, "e" * 8),
                     answer=frozenset({0, 1}))
    [problem] = question_problems(bank_of([multi]))
    assert (problem.question_id, problem.field) == ("s3-multi", "choices")


def test_a_question_without_verified_or_source_is_named_for_each_field() -> None:
    bare = bank_of([question("s3-bare")], Origin("s3.yaml"))
    assert [(p.file, p.question_id, p.field) for p in question_problems(bare)] == [
        ("s3.yaml", "s3-bare", "verified"), ("s3.yaml", "s3-bare", "source")]
    unmet = {r.name: r.actual for r in check(bare) if not r.met}
    assert unmet["every question has verified (YYYY-MM)"] == "1 without"
    assert unmet["every question has a source page"] == "1 without"


def test_a_tie_for_the_longest_choice_does_not_count_as_the_key_being_longest() -> None:
    assert not key_is_longest(question("s3-tie", choices=("100", "200", "400", "1500")))
    assert not key_is_longest(question("s3-even", choices=("abc", "abc d", "abcde", "ab")))
    assert key_is_longest(question("s3-key", choices=("abcdef", "abc d", "abcde", "ab")))


def test_the_key_may_be_the_longest_choice_in_30_percent_of_single_answer_questions() -> None:
    bank = exam_shaped()
    singles = sum(not q.multi for q in bank)
    allowed = singles * 30 // 100
    name = "key is the longest choice in ≤ 30% of single-answer"
    at_limit = rule(with_longest_keys(bank, False, allowed), name)
    assert at_limit.met and at_limit.actual == f"30% ({allowed}/{singles})"
    assert not rule(with_longest_keys(bank, False, allowed + 1), name).met


def test_the_key_may_be_the_longest_choice_in_45_percent_of_multi_answer_questions() -> None:
    bank = exam_shaped()
    multis = sum(q.multi for q in bank)
    allowed = multis * 45 // 100
    name = "key is the longest choice in ≤ 45% of multi-answer"
    assert rule(with_longest_keys(bank, True, allowed), name).met
    assert not rule(with_longest_keys(bank, True, allowed + 1), name).met
    assert rule(with_longest_keys(bank, True, allowed + 1),
                "key is the longest choice in ≤ 30% of single-answer").met


def test_the_key_must_be_the_longest_choice_in_15_percent_of_single_answer_questions(
        ) -> None:
    bank = exam_shaped()
    singles = sum(not q.multi for q in bank)
    needed = -(-singles * 15 // 100)  # the smallest count that is at least 15%
    name = "key is the longest choice in ≥ 15% of single-answer"
    at_limit = rule(with_longest_keys(bank, False, needed), name)
    assert at_limit.met and at_limit.actual == f"15% ({needed}/{singles})"
    assert not rule(with_longest_keys(bank, False, needed - 1), name).met
    assert not rule(with_longest_keys(bank, False, 0), name).met
    assert rule(with_longest_keys(bank, True, 0), name).met


def test_a_tie_for_the_shortest_choice_does_not_count_as_the_key_being_shortest() -> None:
    assert not key_is_shortest(question("s3-tie", choices=("ab", "abc", "ab", "abcd")))
    assert key_is_shortest(question("s3-key", choices=("a", "ab", "abc", "abcd")))
    assert not key_is_shortest(question("s3-mid", choices=("abc", "ab", "abcd", "abcde")))
    both = question("s3-both", choices=("a", "b", "abc", "abcd", "abcde"),
                    answer=frozenset({0, 1}))
    assert key_is_shortest(both)
    assert not key_is_shortest(replace(both, answer=frozenset({0, 2})))


def test_the_key_may_be_the_shortest_choice_in_30_percent_of_single_answer_questions() -> None:
    bank = exam_shaped()
    singles = sum(not q.multi for q in bank)
    allowed = singles * 30 // 100
    name = "key is the shortest choice in ≤ 30% of single-answer"
    assert rule(bank, name).actual == f"0% (0/{singles})"
    at_limit = rule(with_shortest_keys(bank, allowed), name)
    assert at_limit.met and at_limit.actual == f"30% ({allowed}/{singles})"
    assert not rule(with_shortest_keys(bank, allowed + 1), name).met


def test_450_questions_are_enough_and_449_too_few() -> None:
    bank = exam_shaped()
    assert rule(bank[:450], "at least 450 questions").met
    assert rule(bank[:449], "at least 450 questions").actual == "449"
    assert not rule(bank[:449], "at least 450 questions").met


def shifted(bank: list[Question], count: int) -> list[Question]:
    """Move `count` troubleshooting questions to development."""
    moved = [q.id for q in bank if q.domain is ExamDomain.TROUBLESHOOTING][:count]
    return [replace(q, domain=ExamDomain.DEVELOPMENT) if q.id in moved else q for q in bank]


def test_the_domain_mix_may_stray_3_points_from_the_exam_weights_and_no_more() -> None:
    development = "Development with AWS Services: 32% ± 3"
    troubleshooting = "Troubleshooting and Optimization: 18% ± 3"
    three_points = shifted(exam_shaped(), 14)  # 161/460 = 35.0%, 69/460 = 15.0%
    assert rule(three_points, development).actual == "35.0%"
    assert rule(three_points, development).met and rule(three_points, troubleshooting).met
    beyond = shifted(exam_shaped(), 15)
    assert not rule(beyond, development).met and not rule(beyond, troubleshooting).met


def keeping(bank: list[Question], topic: str, count: int) -> list[Question]:
    """The bank with only the first `count` questions of a topic."""
    ids = [q.id for q in bank if q.topic == topic][:count]
    return [q for q in bank if q.topic != topic or q.id in ids]


def test_every_section_of_the_notes_keeps_at_least_6_questions() -> None:
    assert rule(keeping(exam_shaped(), "ses", 6), "section ses ≥ 6").met
    assert not rule(keeping(exam_shaped(), "ses", 5), "section ses ≥ 6").met


def test_a_topic_beyond_the_notes_needs_its_minimum_and_a_missing_one_counts_as_none() -> None:
    bank = exam_shaped()
    assert rule(keeping(bank, "eventbridge", 8), "topic eventbridge ≥ 8").met
    assert not rule(keeping(bank, "eventbridge", 7), "topic eventbridge ≥ 8").met
    assert rule(keeping(bank, "resilience", 4), "topic resilience ≥ 4").met
    assert not rule(keeping(bank, "resilience", 3), "topic resilience ≥ 4").met
    absent = rule(keeping(bank, "amazon-q-developer", 0), "topic amazon-q-developer ≥ 4")
    assert (absent.actual, absent.met) == ("0", False)


def test_retired_questions_do_not_count_towards_the_bank() -> None:
    bank = exam_shaped()
    retired = [replace(q, retired=True) if q.topic == "ses" else q for q in bank]
    assert rule(retired, "section ses ≥ 6").actual == "0"
