"""Stats and boards as members ask for them: tallies by exam domain and topic, the asker's row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.commands import Period
from bot.domain.errors import QuizError
from bot.domain.model import Where, Who
from bot.domain.views import BoardView, PopPosted, StatsView, Tally
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.standings import member_stats, show_board
from tests.sample import SAMPLE_QUESTIONS, right_letters, wrong_letters

HERE = Where("slack", "T1", "C1", "Acme", "general")
THERE = Where("slack", "T1", "C2", "Acme", "random")
HOST = Who("U0", "host")
ANN = Who("U1", "ann")
BY_TEXT = {q.text: q for q in SAMPLE_QUESTIONS}


async def _pop(deps: Deps, clock: FrozenClock) -> PopPosted:
    clock.advance(timedelta(minutes=11))  # the last pop quiz's window is over
    posted = await quiz.handle(deps, HERE, HOST, "now")
    assert isinstance(posted, PopPosted)
    return posted


async def test_stats_tally_right_answers_by_exam_domain_and_by_topic_title(
        deps: Deps, clock: FrozenClock) -> None:
    asked = []
    for n in range(4):  # right on the even rounds, wrong on the odd ones
        posted = await _pop(deps, clock)
        letters = right_letters if n % 2 == 0 else wrong_letters
        await quiz.answer(deps, HERE, ANN, posted.question.round_id, letters(posted.question))
        asked.append((BY_TEXT[posted.question.text], n % 2 == 0))

    stats = await member_stats(deps, HERE, ANN, None)

    domains: dict[str, list[int]] = {}
    topics: dict[str, list[int]] = {}
    titles = {"dynamodb": "DynamoDB", "lambda": "Lambda"}
    for question, right in asked:
        for tally in (domains.setdefault(question.domain.label, [0, 0]),
                      topics.setdefault(titles[question.topic], [0, 0])):
            tally[0] += right
            tally[1] += 1
    assert (stats.name, stats.answered, stats.correct, stats.points, stats.streak) == (
        "ann", 4, 2, 10, 0)
    assert stats.by_domain == [Tally(label, *t) for label, t in sorted(domains.items())]
    assert stats.by_topic == [Tally(label, *t) for label, t in sorted(topics.items())]


async def test_stats_of_someone_else_are_theirs_found_by_name(
        deps: Deps, clock: FrozenClock) -> None:
    posted = await _pop(deps, clock)
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))
    theirs = await member_stats(deps, HERE, Who("U2", "bob"), "ANN")
    assert isinstance(theirs, StatsView)
    assert (theirs.name, theirs.answered, theirs.points) == ("ann", 1, 5)


async def test_stats_of_someone_who_never_played_say_so(deps: Deps) -> None:
    with pytest.raises(QuizError) as refused:
        await member_stats(deps, HERE, ANN, "zed")
    assert str(refused.value) == ("I don't know `zed` here yet: they have not played. "
                                  "Use `/quiz stats @someone`.")


async def test_an_asker_below_the_top_ten_sees_their_own_row_under_it(
        deps: Deps, clock: FrozenClock) -> None:
    players = [Who(f"P{n}", f"player{n}") for n in range(10)]
    for _ in range(2):
        posted = await _pop(deps, clock)
        for player in players:
            await quiz.answer(deps, HERE, player, posted.question.round_id,
                              right_letters(posted.question))
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))

    board = await show_board(deps, HERE, ANN, Period.WEEK, squads=False)

    assert isinstance(board, BoardView) and (board.period, board.squads) == (Period.WEEK, False)
    assert [(row.name, row.points) for row in board.rows] == [(p.display_name, 10)
                                                              for p in players]
    assert board.you is not None and (board.you.rank, board.you.name, board.you.points) == (
        11, "ann", 5)


async def test_an_asker_in_the_top_rows_gets_no_extra_row(
        deps: Deps, clock: FrozenClock) -> None:
    posted = await _pop(deps, clock)
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))
    board = await show_board(deps, HERE, ANN, Period.ALL, squads=False)
    assert board.period is Period.ALL and board.week is None
    assert [(row.name, row.points) for row in board.rows] == [("ann", 5)]
    assert board.you is None


async def test_the_squad_board_ranks_the_channels_of_the_asker_s_workspace(
        deps: Deps, clock: FrozenClock) -> None:
    here = await _pop(deps, clock)
    there = await quiz.handle(deps, THERE, HOST, "now")
    assert isinstance(there, PopPosted)
    await quiz.answer(deps, HERE, ANN, here.question.round_id, right_letters(here.question))
    await quiz.answer(deps, THERE, HOST, there.question.round_id, wrong_letters(there.question))
    elsewhere = Where("slack", "T2", "C9", "Other", "elsewhere")
    board = await show_board(deps, elsewhere, ANN, Period.WEEK, squads=True)
    assert board.rows == []  # another workspace's board has none of Acme's channels
    board = await show_board(deps, HERE, HOST, Period.WEEK, squads=True)
    assert board.squads and [(row.name, row.points) for row in board.rows] == [
        ("general", 5), ("random", 0)]


async def test_the_week_s_board_names_its_week_and_the_all_time_board_has_none(
        deps: Deps, clock: FrozenClock) -> None:
    posted = await _pop(deps, clock)
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))
    week = await show_board(deps, HERE, ANN, Period.WEEK, squads=False)
    squads = await show_board(deps, HERE, ANN, Period.WEEK, squads=True)
    ever = await show_board(deps, HERE, ANN, Period.ALL, squads=False)
    assert (week.period, week.week, squads.period, squads.week) == (
        Period.WEEK, (2027, 12), Period.WEEK, (2027, 12))
    assert ever.week is None and [(r.name, r.points) for r in ever.rows] == [("ann", 5)]
