"""Which question to ask next."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from operator import attrgetter

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
    candidates = pool  # a channel never asked anything: every question is least asked
    if times_asked:
        counts = [times_asked.get(q.id, 0) for q in pool]
        fewest = min(counts)
        candidates = [q for q, n in zip(pool, counts, strict=True) if n == fewest]
    return rng.choice(sorted(candidates, key=attrgetter("id")))

