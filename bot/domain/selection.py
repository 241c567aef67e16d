"""Which question to ask next."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

from bot.domain.model import Question


def eligible(questions: Iterable[Question], topics: frozenset[str]) -> list[Question]:
    """Live questions within a topic filter (an empty filter allows every topic)."""
    return [q for q in questions if not q.retired and (not topics or q.topic in topics)]


def pick_for_channel(
    pool: list[Question], times_asked: Mapping[str, int], rng: random.Random
) -> Question | None:
    """A question asked least often in the channel, so none repeats before the pool is used up."""
    if not pool:
        return None
    fewest = min(times_asked.get(q.id, 0) for q in pool)
    candidates = [q for q in pool if times_asked.get(q.id, 0) == fewest]
    return rng.choice(sorted(candidates, key=lambda q: q.id))

