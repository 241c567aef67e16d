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


def pick_for_practice(
    pool: list[Question], history: Mapping[str, bool], rng: random.Random
) -> Question | None:
    """Prefer questions the member has not seen, then ones they got wrong, then the rest.

    `history` maps question id to whether the member's latest answer to it was right.
    """
    if not pool:
        return None
    unseen = [q for q in pool if q.id not in history]
    missed = [q for q in pool if history.get(q.id) is False]
    for tier in (unseen, missed, pool):
        if tier:
            return rng.choice(sorted(tier, key=lambda q: q.id))
    return None
