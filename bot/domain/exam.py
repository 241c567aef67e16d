"""A private, timed mock exam: questions in the exam's domain proportions, scored at the end."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.model import ExamDomain, Presentation, Question
from bot.domain.readiness import PASS_SCORE, WEIGHTS, scaled

DEFAULT_SIZE = 20
FULL_SIZE = 65
MIN_SIZE, MAX_SIZE = 1, FULL_SIZE
PER_QUESTION = timedelta(minutes=2)  # the real exam: 65 questions in 130 minutes


@dataclass(frozen=True)
class Exam:
    """One member's mock exam: its questions in order, the answers so far, its deadline."""

    id: int
    workspace_id: int
    member_id: int
    question_ids: tuple[str, ...]
    answers: tuple[frozenset[int] | None, ...]  # choice indexes per question; None = not yet
    seed: int
    started_at: datetime
    ends_at: datetime
    finished_at: datetime | None = None

    @property
    def size(self) -> int:
        """How many questions the exam has."""
        return len(self.question_ids)

    @property
    def position(self) -> int:
        """The 0-based index of the next question to answer (size when all are answered)."""
        return sum(1 for a in self.answers if a is not None)

    def timed_out(self, now: datetime) -> bool:
        """True once the time is up."""
        return now >= self.ends_at

    def presentation(self, question: Question, position: int) -> Presentation:
        """How the question at a position shows its choices: shuffled, the same every time."""
        return Presentation.shuffled(question, self.seed + position)

    def answered(self, position: int, choices: frozenset[int]) -> Exam:
        """The exam with one more answer."""
        answers = list(self.answers)
        answers[position] = choices
        return replace(self, answers=tuple(answers))


def duration(size: int) -> timedelta:
    """Two minutes a question, as in the real exam."""
    return PER_QUESTION * size


def minutes_left(exam: Exam, now: datetime) -> int:
    """Whole minutes until the deadline, rounded up (0 once it has passed)."""
    seconds = (exam.ends_at - now).total_seconds()
    return max(0, math.ceil(seconds / 60))


def quotas(size: int) -> dict[ExamDomain, int]:
    """Questions per domain in the exam's proportions (largest remainder, so they add up)."""
    exact = {d: w * size for d, w in WEIGHTS.items()}
    counts = {d: int(x) for d, x in exact.items()}
    by_remainder = sorted(WEIGHTS, key=lambda d: (exact[d] - counts[d], WEIGHTS[d]), reverse=True)
    for domain in by_remainder[: size - sum(counts.values())]:
        counts[domain] += 1
    return counts


def plan(pool: list[Question], size: int, rng: random.Random) -> list[Question]:
    """`size` questions in domain proportions, topped up from other domains where one runs
    short, in random order."""
    by_domain: dict[ExamDomain, list[Question]] = defaultdict(list)
    for question in sorted(pool, key=lambda q: q.id):
        by_domain[question.domain].append(question)
    for listed in by_domain.values():
        rng.shuffle(listed)
    chosen: list[Question] = []
    for domain, count in quotas(size).items():
        chosen += by_domain[domain][:count]
        del by_domain[domain][:count]
    rest = [q for listed in by_domain.values() for q in listed]
    rng.shuffle(rest)
    chosen += rest[: size - len(chosen)]
    rng.shuffle(chosen)
    return chosen


@dataclass(frozen=True)
class Missed:
    """A question answered wrong (or not at all), with the right answer and why."""

    number: int
    text: str
    yours: str  # letters, or "" when not answered
    correct: list[tuple[str, str]]
    explanation: str


@dataclass(frozen=True)
class ExamScore:
    """The result: right answers per domain, the estimated scaled score, what was missed."""

    size: int
    answered: int
    correct: int
    by_domain: list[tuple[ExamDomain, int, int]]
    score: int
    missed: list[Missed]
    timed_out: bool

    @property
    def passed(self) -> bool:
        """At or above the pass mark."""
        return self.score >= PASS_SCORE


def score(exam: Exam, questions: dict[str, Question], timed_out: bool) -> ExamScore:
    """Score an exam: unanswered questions count as wrong, domains weighted as in the exam."""
    tallies: dict[ExamDomain, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for position, (qid, picked) in enumerate(zip(exam.question_ids, exam.answers, strict=True)):
        question = questions[qid]
        right = picked is not None and picked == question.answer
        tallies[question.domain][0] += int(right)
        tallies[question.domain][1] += 1
        if not right:
            shown = exam.presentation(question, position)
            letters = shown.correct_letters
            missed.append(Missed(position + 1, question.text,
                                 shown.letters_for(picked) if picked is not None else "",
                                 [(letter, text) for letter, text in shown.lettered_choices
                                  if letter in letters], question.explanation))
    present = [d for d in WEIGHTS if d in tallies]
    weight = sum(WEIGHTS[d] for d in present)
    accuracy = sum(WEIGHTS[d] * tallies[d][0] / tallies[d][1] for d in present) / weight
    return ExamScore(
        size=exam.size, answered=exam.position,
        correct=sum(right for right, _ in tallies.values()),
        by_domain=[(d, tallies[d][0], tallies[d][1]) for d in present],
        score=scaled(accuracy), missed=missed, timed_out=timed_out)
