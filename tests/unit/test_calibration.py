"""Play flags a "hard" question most get right and an "easy" one most miss, given enough answers."""

from __future__ import annotations

from bot.domain.calibration import Played, misjudged
from bot.domain.model import Difficulty


def played(difficulty: Difficulty, answers: int, right: int) -> Played:
    return Played("s3-q", "s3", difficulty, answers, right)


def test_a_hard_question_that_8_in_10_get_right_is_flagged() -> None:
    assert misjudged(played(Difficulty.HARD, 10, 8)) == "hard, but most get it right"


def test_a_hard_question_that_7_in_10_get_right_is_not() -> None:
    assert misjudged(played(Difficulty.HARD, 10, 7)) is None


def test_an_easy_question_that_6_in_10_miss_is_flagged() -> None:
    assert misjudged(played(Difficulty.EASY, 10, 4)) == "easy, but most miss it"


def test_an_easy_question_that_half_get_right_is_not() -> None:
    assert misjudged(played(Difficulty.EASY, 10, 5)) is None


def test_fewer_than_10_answers_are_too_few_to_judge() -> None:
    assert misjudged(played(Difficulty.HARD, 9, 9)) is None
    assert misjudged(played(Difficulty.EASY, 9, 0)) is None


def test_a_medium_question_is_never_flagged() -> None:
    assert misjudged(played(Difficulty.MEDIUM, 20, 20)) is None
    assert misjudged(played(Difficulty.MEDIUM, 20, 0)) is None


def test_an_unanswered_question_has_no_share_right() -> None:
    assert played(Difficulty.EASY, 0, 0).share_right == 0.0
