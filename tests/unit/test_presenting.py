"""The neutral views every platform styles: questions, reveals, boards and winners."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.commands import Period
from bot.domain.errors import CommandError
from bot.domain.model import (
    Answer,
    Difficulty,
    ExamDomain,
    Member,
    Presentation,
    Question,
    Round,
    RoundKind,
)
from bot.domain.presenting import (
    board_lines,
    normalize_letters,
    question_view,
    reveal_view,
    winner_lines,
)
from bot.domain.standings import Standing
from bot.domain.views import BoardLine, BoardView, RevealView, Winner, WinnerLine

OPENED = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
QUESTION = Question("q-multi", "lambda", ExamDomain.SECURITY, Difficulty.HARD, "Which two?",
                    ("one", "two", "three", "four", "five"), frozenset({0, 3}), "Because.")
ROUND = Round(7, 3, 5, QUESTION.id, RoundKind.DAILY, OPENED, OPENED + timedelta(hours=8),
              seed=42)


def member(n: int) -> Member:
    return Member(n, 3, f"U{n}", f"p{n}")


def test_a_question_view_shows_the_round_s_shuffled_choices_and_how_many_to_pick() -> None:
    view = question_view(ROUND, QUESTION, "Lambda", "Europe/Berlin")
    shown = Presentation.shuffled(QUESTION, ROUND.seed)
    assert (view.round_id, view.workspace_id, view.kind) == (7, 3, RoundKind.DAILY)
    assert (view.topic, view.topic_title, view.difficulty) == ("lambda", "Lambda",
                                                              Difficulty.HARD)
    assert view.text == "Which two?"
    assert view.choices == shown.lettered_choices
    assert [text for _, text in view.choices] != list(QUESTION.choices)  # shuffled by seed 42
    assert view.pick == 2
    assert (view.closes_at, view.opened_at, view.zone) == (ROUND.closes_at, OPENED,
                                                          "Europe/Berlin")


def test_a_question_view_without_a_topic_title_shows_the_topic() -> None:
    assert question_view(ROUND, QUESTION, "", "UTC").topic_title == "lambda"


def test_a_reveal_counts_votes_per_letter_and_names_who_got_it_right() -> None:
    view = question_view(ROUND, QUESTION, "Lambda", "UTC")
    shown = Presentation.shuffled(QUESTION, ROUND.seed)
    right, wrong = shown.correct_letters, next(c for c in shown.letters
                                               if c not in shown.correct_letters)
    answers = [
        (Answer(7, 1, shown.indexes_for(right), True, 12, OPENED, 3), member(1)),
        (Answer(7, 2, shown.indexes_for(right[0] + wrong), False, 0, OPENED), member(2)),
        (Answer(7, 3, shown.indexes_for(right), True, 10, OPENED, 1), member(3)),
    ]
    reveal = reveal_view(view, ROUND, QUESTION, answers)
    votes = dict(reveal.votes)
    assert list(votes) == list(shown.letters)
    assert votes[right[0]] == 3 and votes[right[1]] == 2 and votes[wrong] == 1
    assert sum(votes.values()) == 6
    assert (reveal.correct, reveal.explanation, reveal.answers) == (right, "Because.", 3)
    assert [(w.name, w.points, w.streak) for w in reveal.winners] == [("p1", 12, 3),
                                                                      ("p3", 10, 1)]
    assert reveal.question == view


def test_a_reveal_with_no_answers_shows_every_letter_at_zero() -> None:
    reveal = reveal_view(question_view(ROUND, QUESTION, "", "UTC"), ROUND, QUESTION, [])
    assert reveal.votes == [(letter, 0) for letter in "ABCDE"]
    assert (reveal.answers, reveal.winners) == (0, [])


@pytest.mark.parametrize(("typed", "letters"), [
    ("a, c", "AC"), ("CA", "AC"), ("b;d/e+a&c", "ABCDE"), ("  b ", "B"), ("", ""),
    ("c1", "C1"), ("2a", "A2"), ("a c", "AC"), ("a,c", "AC"), ("a;c", "AC"), ("a/c", "AC"),
    ("a+c", "AC"), ("a&c", "AC"),
])
def test_typed_letters_become_upper_case_sorted_without_separators(typed: str,
                                                                  letters: str) -> None:
    assert normalize_letters(typed) == letters


def test_a_letter_named_twice_is_refused_with_the_right_form() -> None:
    with pytest.raises(CommandError) as refused:
        normalize_letters("a, c, a, C")
    assert str(refused.value) == ("You named A, C twice: name each choice once, like `a,c`.")


def standing(rank: int, key: int, points: float, members: int = 1) -> Standing:
    return Standing(rank, key, f"n{key}", points, members)


def test_a_board_shows_its_rows_and_the_asker_s_own_row_below_them() -> None:
    rows = [standing(1, 1, 30), standing(2, 2, 20)]
    you = standing(9, 9, 2)
    lines = board_lines(BoardView(Period.WEEK, False, rows, you=you))
    assert lines == [BoardLine(1, "n1", 30, None), BoardLine(2, "n2", 20, None),
                     BoardLine(9, "n9", 2, None, yours=True)]


def test_the_asker_already_on_the_board_gets_no_second_row() -> None:
    rows = [standing(1, 1, 30), standing(2, 2, 20)]
    lines = board_lines(BoardView(Period.WEEK, False, rows, you=rows[1]))
    assert [line.yours for line in lines] == [False, False]


def test_a_squad_board_shows_each_channel_s_active_members() -> None:
    rows = [standing(1, 1, 7.5, members=2), standing(2, 2, 5, members=4)]
    assert [line.members for line in board_lines(BoardView(Period.ALL, True, rows))] == [2, 4]


def test_a_winner_s_streak_is_shown_only_above_one() -> None:
    view = question_view(ROUND, QUESTION, "", "UTC")
    shown = RevealView(view, "AB", "", [], 3,
                       [Winner("a", 10, 0), Winner("b", 11, 1), Winner("c", 12, 2)])
    assert winner_lines(shown) == [WinnerLine("a", 10, None), WinnerLine("b", 11, None),
                                   WinnerLine("c", 12, 2)]
