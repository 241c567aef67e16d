"""Difficulty as play shows it: a "hard" question most get right, an "easy" one most miss."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import Difficulty

MIN_ANSWERS = 10  # fewer answers say too little to judge a question by
HARD_BUT_MOSTLY_RIGHT = 0.80
EASY_BUT_MOSTLY_MISSED = 0.40


@dataclass(frozen=True)
class Played:
    """How often a question has been answered, and answered right, across every round."""

    question_id: str
    topic: str
    difficulty: Difficulty
    answers: int
    right: int

    @property
    def share_right(self) -> float:
        """The share of answers that were right (0 when nobody answered)."""
        return self.right / self.answers if self.answers else 0.0


def misjudged(played: Played) -> str | None:
    """Why play says the question's difficulty is wrong, or None when it agrees or is too new."""
    if played.answers < MIN_ANSWERS:
        return None
    if played.difficulty is Difficulty.HARD and played.share_right >= HARD_BUT_MOSTLY_RIGHT:
        return "hard, but most get it right"
    if played.difficulty is Difficulty.EASY and played.share_right <= EASY_BUT_MOSTLY_MISSED:
        return "easy, but most miss it"
    return None
