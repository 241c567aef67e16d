"""Points, streaks and ranks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.domain.model import (
    Difficulty,
    ExamDomain,
    Presentation,
    Question,
    Round,
    RoundKind,
)
from bot.domain.scoring import current_streak, points_for
from bot.domain.selection import pick_for_channel
from bot.domain.standings import movers, ranked


def test_a_daily_answer_earns_ten_plus_the_streak_capped_at_five() -> None:
    assert points_for(RoundKind.DAILY, True) == 10
    assert points_for(RoundKind.DAILY, True, streak_before=3) == 13
    assert points_for(RoundKind.DAILY, True, streak_before=30) == 15
    assert points_for(RoundKind.DAILY, False, streak_before=3) == 0


def test_a_pop_quiz_earns_five_and_practice_one_until_the_daily_cap() -> None:
    assert points_for(RoundKind.POP, True) == 5
    assert points_for(RoundKind.PRACTICE, True, practice_scored_today=9) == 1
    assert points_for(RoundKind.PRACTICE, True, practice_scored_today=10) == 0


def test_a_streak_ends_at_the_first_wrong_or_missed_day() -> None:
    assert current_streak([True, True, False, True]) == 2
    assert current_streak([None, True]) == 0
    assert current_streak([]) == 0


def test_equal_points_share_a_rank_and_the_next_rank_skips() -> None:
    rows = ranked([(1, "ann", 20, 1), (2, "bob", 30, 1), (3, "cy", 20, 1), (4, "di", 5, 1)])
    assert [(r.name, r.rank) for r in rows] == [("bob", 1), ("ann", 2), ("cy", 2), ("di", 4)]


def make(qid: str, answer: set[int]) -> Question:
    return Question(qid, "t", ExamDomain.DEVELOPMENT, Difficulty.EASY, "?",
                    ("a", "b", "c", "d", "e"), frozenset(answer), "because")


def test_everyone_sees_the_same_letters_in_a_round() -> None:
    question = make("q", {0, 3})
    first, again = Presentation.shuffled(question, 42), Presentation.shuffled(question, 42)
    assert first.order == again.order
    assert first.is_correct(first.correct_letters)
    assert not first.is_correct(first.correct_letters[0])


def test_a_multi_answer_question_is_right_only_with_exactly_the_right_set() -> None:
    shown = Presentation.shuffled(make("q", {1, 2}), 3)
    right = shown.correct_letters
    extra = next(letter for letter in shown.letters if letter not in right)
    assert shown.is_correct(right)
    assert not shown.is_correct(right + extra)


def test_a_channel_gets_no_repeat_until_the_pool_is_used_up() -> None:
    pool = [make(f"q{i}", {0}) for i in range(5)]
    asked: dict[str, int] = {}
    rng = random.Random(1)
    seen = []
    for _ in range(5):
        question = pick_for_channel(pool, asked, rng)
        assert question is not None
        asked[question.id] = asked.get(question.id, 0) + 1
        seen.append(question.id)
    assert sorted(seen) == sorted(q.id for q in pool)


def test_movers_are_those_who_climbed_the_all_time_board_this_week() -> None:
    all_time = {1: ("ann", 50.0), 2: ("bob", 40.0), 3: ("cy", 45.0), 4: ("di", 5.0)}
    this_week = {3: 30.0, 4: 5.0}  # cy passed bob; di is new, below everyone
    assert movers(all_time, this_week, 3) == [("cy", 1)]


def test_equal_points_are_listed_by_name_in_any_case_then_by_id() -> None:
    rows = ranked([(3, "bob", 10, 2), (1, "Cy", 10, 1), (2, "amy", 10, 4), (4, "amy", 10, 1),
                   (5, "Dee", 12, 3)])
    assert [(r.key, r.rank, r.members) for r in rows] == [
        (5, 1, 3), (2, 2, 4), (4, 2, 1), (3, 2, 2), (1, 2, 1)]


def test_equal_points_and_names_in_any_case_are_listed_by_id_whatever_order_they_come_in(
        ) -> None:
    rows = ranked([(4, "Amy", 10, 1), (2, "amy", 10, 1)])
    assert [r.key for r in rows] == [2, 4]


def test_names_are_compared_in_lower_case_so_an_underscore_comes_before_letters() -> None:
    rows = ranked([(1, "AB", 10, 1), (2, "a_b", 10, 1)])
    assert [r.name for r in rows] == ["a_b", "AB"]


def test_a_climber_passes_only_those_ahead_of_them_before_this_week() -> None:
    all_time = {1: ("ann", 5.0), 2: ("bob", 6.0), 3: ("cy", 10.0)}
    # Before this week: cy 10, ann 5, bob 4; now bob's 6 passes ann, who scored nothing.
    assert movers(all_time, {2: 2.0}, 3) == [("bob", 1)]


def test_a_newcomer_climbs_from_below_everyone_who_had_points_however_few() -> None:
    all_time = {1: ("xi", 1.0), 2: ("yu", 2.0), 3: ("bo", 3.0)}
    assert movers(all_time, {3: 3.0}, 3) == [("bo", 2)]


def test_movers_rank_the_biggest_climb_first_then_by_name() -> None:
    all_time = {1: ("top", 100.0), 2: ("zed", 50.0), 3: ("amy", 49.0), 4: ("x", 48.5),
                5: ("y", 48.8), 6: ("flo", 48.6)}
    this_week = {2: 10.0, 3: 10.0, 6: 48.6}  # flo scored everything this week
    # Before: top, y, x, zed, amy (flo had nothing, so climbs from below the last, 6th).
    assert movers(all_time, this_week, 5) == [("amy", 2), ("zed", 2), ("flo", 1)]
    assert movers(all_time, this_week, 1) == [("amy", 2)]


def test_someone_who_scored_this_week_but_kept_their_place_is_no_mover() -> None:
    all_time = {1: ("ann", 100.0), 2: ("bob", 90.0)}
    assert movers(all_time, {1: 10.0, 2: 5.0}, 5) == []


def test_a_first_practice_answer_of_the_day_scores_one() -> None:
    assert points_for(RoundKind.PRACTICE, True) == 1


def test_a_round_is_open_until_its_window_ends_or_it_is_closed_whichever_comes_first() -> None:
    opened = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
    round_ = Round(1, 1, 1, "q", RoundKind.PRACTICE, opened, opened + timedelta(minutes=10), 1)
    assert round_.is_open(opened + timedelta(minutes=9, seconds=59))
    assert not round_.is_open(opened + timedelta(minutes=10))
    answered = Round(1, 1, 1, "q", RoundKind.PRACTICE, opened, opened + timedelta(minutes=10),
                     1, closed_at=opened + timedelta(minutes=1))
    assert not answered.is_open(opened + timedelta(minutes=2))
