"""Points for an answer: DESIGN's defaults, with daily streaks and a practice cap."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import RoundKind


@dataclass(frozen=True)
class ScoringRules:
    """How many points each kind of round is worth."""

    daily: int = 10
    streak_bonus_cap: int = 5
    pop: int = 5
    practice: int = 1
    practice_daily_cap: int = 10


def points_for(
    kind: RoundKind,
    correct: bool,
    *,
    streak_before: int = 0,
    practice_scored_today: int = 0,
    rules: ScoringRules = ScoringRules(),
) -> int:
    """Points for one answer; `streak_before` counts the daily questions right in a row before."""
    if not correct:
        return 0
    if kind is RoundKind.DAILY:
        return rules.daily + min(streak_before, rules.streak_bonus_cap)
    if kind is RoundKind.POP:
        return rules.pop
    return rules.practice if practice_scored_today < rules.practice_daily_cap else 0


def current_streak(results_newest_first: list[bool | None]) -> int:
    """Daily questions answered right in a row; a wrong or missed one (None) ends the run."""
    streak = 0
    for result in results_newest_first:
        if not result:
            break
        streak += 1
    return streak
