"""The grammar of the learning commands: review, and mock exams of a size."""

from __future__ import annotations

import pytest

from bot.domain.commands import Review, StopExam, TakeExam, parse
from bot.domain.errors import CommandError


def test_review_takes_nothing_after_it() -> None:
    assert parse("review") == Review()
    with pytest.raises(CommandError, match="/quiz review"):
        parse("review lambda")


@pytest.mark.parametrize(("text", "command"), [
    ("exam", TakeExam(20)), ("exam 5", TakeExam(5)), ("exam FULL", TakeExam(65)),
    ("exam stop", StopExam()),
])
def test_an_exam_is_20_questions_a_size_full_or_stop(text: str, command: object) -> None:
    assert parse(text) == command


@pytest.mark.parametrize("text", ["exam 0", "exam 66", "exam five", "exam 5 full"])
def test_a_wrong_exam_size_gets_the_right_form(text: str) -> None:
    with pytest.raises(CommandError, match=r"/quiz exam \[size\|full\]"):
        parse(text)
