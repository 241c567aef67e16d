"""A member's memory of each question, scheduled with FSRS, and which question to practise next."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from fsrs import Card, Rating, Scheduler, State

from bot.domain.model import ExamDomain, Question

# A wrong answer comes back after ten minutes of practice, a right one moves straight to days:
# a multiple-choice question answered right is recognised, not merely seen.
STEPS = (timedelta(minutes=10),)
# New questions are drawn from the weakest domain this many times as often as from the others.
WEAK_WEIGHT = 3


@dataclass(frozen=True)
class Memory:
    """What FSRS knows of one member's memory of one question, and their last miss."""

    member_id: int
    question_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reviews: int = 0
    lapses: int = 0
    missed_at: datetime | None = None  # the latest wrong answer not yet put right

    def is_due(self, now: datetime) -> bool:
        """True once the review is due."""
        return self.due <= now


@dataclass(frozen=True)
class Recall:
    """A stored answer to a question that the member's memory has not taken in yet."""

    answer_id: int
    workspace_id: int
    question_id: str
    correct: bool
    at: datetime


def remember(previous: Memory | None, member_id: int, question_id: str, correct: bool,
             at: datetime) -> Memory:
    """The memory after one more answer: right is FSRS "Good", wrong is "Again".

    An answer older than the last review counts as given at that review: answers are taken in
    lazily, and a mock exam's answer may have been taken in before an earlier click's.
    """
    if previous is not None and previous.last_review is not None:
        at = max(at, previous.last_review)
    card = _card(previous, at)
    rating = Rating.Good if correct else Rating.Again
    card, _ = _scheduler().review_card(card, rating, at.astimezone(UTC))
    lapsed = not correct and previous is not None and previous.state != State.Learning
    missed_at = None if correct else at
    return Memory(
        member_id=member_id, question_id=question_id, state=int(card.state), step=card.step,
        stability=card.stability, difficulty=card.difficulty, due=card.due,
        last_review=card.last_review,
        reviews=(previous.reviews if previous else 0) + 1,
        lapses=(previous.lapses if previous else 0) + int(lapsed),
        missed_at=missed_at)


@cache
def _scheduler() -> Scheduler:
    # Fuzzing draws from the global random generator; the schedule must be reproducible.
    return Scheduler(learning_steps=STEPS, relearning_steps=STEPS, enable_fuzzing=False)


def _card(memory: Memory | None, at: datetime) -> Card:
    # card_id is unused by the bot; passing it keeps fsrs from reading the wall clock.
    if memory is None:
        return Card(card_id=1, due=at.astimezone(UTC))
    return Card(card_id=1, state=State(memory.state), step=memory.step,
                stability=memory.stability, difficulty=memory.difficulty,
                due=memory.due.astimezone(UTC),
                last_review=memory.last_review.astimezone(UTC) if memory.last_review else None)


def due_count(memories: Iterable[Memory], until: datetime) -> int:
    """How many reviews are due by `until`."""
    return sum(1 for m in memories if m.due <= until)


def pick_next(pool: list[Question], memories: Mapping[str, Memory], now: datetime,
              weakest: ExamDomain | None, rng: random.Random) -> Question | None:
    """Due reviews first (most overdue first), then a new question leaning towards the weakest
    domain, then the question due soonest, so practice never runs dry."""
    if not pool:
        return None
    due = [q for q in pool if q.id in memories and memories[q.id].is_due(now)]
    if due:
        return min(due, key=lambda q: (memories[q.id].due, q.id))
    fresh = [q for q in pool if q.id not in memories]
    if fresh:
        return _new_question(fresh, weakest, rng)
    return min(pool, key=lambda q: (memories[q.id].due, q.id))


def _new_question(fresh: list[Question], weakest: ExamDomain | None,
                  rng: random.Random) -> Question:
    domains = sorted({q.domain for q in fresh})
    weights = [WEAK_WEIGHT if d == weakest else 1 for d in domains]
    domain = rng.choices(domains, weights=weights)[0]
    return rng.choice(sorted((q for q in fresh if q.domain == domain), key=lambda q: q.id))


def missed(memories: Iterable[Memory]) -> list[Memory]:
    """Questions answered wrong and not yet put right, the latest miss first."""
    open_misses = [m for m in memories if m.missed_at is not None]
    return sorted(open_misses, key=lambda m: (m.missed_at, m.question_id), reverse=True)
