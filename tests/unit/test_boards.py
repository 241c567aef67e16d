"""Boards and stats on the fakes: which board each period shows, its climbers, the asker's row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.commands import Period
from bot.domain.model import Where, Who
from bot.domain.standings import Standing
from bot.domain.views import BoardView, PopPosted, StatsView, Tally
from bot.services import quiz
from bot.services.standings import BOARD_SIZE, MOVERS, board, member_stats
from tests.sample import right_letters
from tests.unit.fake_deps import deps_on
from tests.unit.fakes import FakeLeaderboard, Store

START = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
WORKSPACE = 1
CLIMBERS = [("ann", 4), ("bob", 3), ("cy", 2), ("dee", 1)]


def _board(prefix: str, size: int) -> list[Standing]:
    return [Standing(rank, rank, f"{prefix}{rank}", 100 - rank) for rank in range(1, size + 1)]


class TwoBoards(FakeLeaderboard):
    """One workspace's boards: this week's and the all-time one differ, and four members
    climbed this week."""

    def __init__(self) -> None:
        super().__init__()
        self.boards = {Period.WEEK: _board("week", 2), Period.ALL: _board("ever", BOARD_SIZE + 2)}

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        return self.boards.get(period, [])[:limit] if workspace_id == WORKSPACE else []

    async def squads(self, workspace_id: int, period: Period, at: datetime) -> list[Standing]:
        return await self.members(workspace_id, period, at, 100)

    async def rank_of(self, workspace_id: int, period: Period, at: datetime,
                      member_id: int) -> Standing | None:
        return next((s for s in await self.members(workspace_id, period, at, 100)
                     if s.key == member_id), None)

    async def movers(self, workspace_id: int, at: datetime, limit: int) -> list[tuple[str, int]]:
        return CLIMBERS[:limit] if workspace_id == WORKSPACE else []


@pytest.mark.parametrize("squads", [False, True])
async def test_each_period_shows_its_own_board(squads: bool) -> None:
    deps = await deps_on(Store(), START, TwoBoards())
    week = await board(deps, WORKSPACE, Period.WEEK, squads)
    ever = await board(deps, WORKSPACE, Period.ALL, squads)
    assert [row.name for row in week.rows] == ["week1", "week2"]
    assert [row.name for row in ever.rows][:2] == ["ever1", "ever2"]


async def test_only_the_week_s_board_names_its_biggest_climbers() -> None:
    deps = await deps_on(Store(), START, TwoBoards())
    week = await board(deps, WORKSPACE, Period.WEEK, squads=False)
    ever = await board(deps, WORKSPACE, Period.ALL, squads=False)
    assert week.movers == CLIMBERS[:MOVERS] and len(CLIMBERS) > MOVERS
    assert ever.movers == []


async def test_an_asker_below_the_rows_shown_sees_their_row_on_the_board_of_that_period(
        ) -> None:
    deps = await deps_on(Store(), START, TwoBoards())
    last = BOARD_SIZE + 2
    week = await board(deps, WORKSPACE, Period.WEEK, squads=False, member_id=last)
    ever = await board(deps, WORKSPACE, Period.ALL, squads=False, member_id=last)
    assert week.you is None  # not on this week's board at all
    assert ever.you is not None and (ever.you.name, ever.you.rank) == (f"ever{last}", last)


async def test_stats_of_a_topic_with_no_title_name_the_topic_itself() -> None:
    store = Store()
    deps = await deps_on(store, START)
    store.topics.clear()  # a bank whose questions name topics it does not list
    here, ann = Where("slack", "T1", "C1"), Who("U1", "ann")
    posted = await quiz.handle(deps, here, ann, "now")
    assert isinstance(posted, PopPosted)
    await quiz.answer(deps, here, ann, posted.question.round_id, right_letters(posted.question))
    stats = await member_stats(deps, here, ann, None)
    assert stats.by_topic == [Tally(posted.question.topic, 1, 1)]


@pytest.mark.parametrize(("text", "period", "squads"), [
    ("leaderboard", Period.WEEK, False), ("leaderboard all", Period.ALL, False),
    ("leaderboard all channels", Period.ALL, True)])
async def test_a_leaderboard_command_shows_the_board_it_names(
        text: str, period: Period, squads: bool) -> None:
    deps = await deps_on(Store(), START, TwoBoards())
    shown = await quiz.handle(deps, Where("slack", "T1", "C1"), Who("U1", "ann"), text)
    assert isinstance(shown, BoardView)
    assert (shown.period, shown.squads, shown.rows[0].name) == (
        period, squads, "week1" if period is Period.WEEK else "ever1")


async def test_stats_of_someone_named_are_theirs_not_the_asker_s() -> None:
    deps = await deps_on(Store(), START)
    here, bob = Where("slack", "T1", "C1"), Who("U2", "bob")
    posted = await quiz.handle(deps, here, bob, "now")
    assert isinstance(posted, PopPosted)
    await quiz.answer(deps, here, bob, posted.question.round_id, right_letters(posted.question))
    stats = await quiz.handle(deps, here, Who("U1", "ann"), "stats @bob")
    assert isinstance(stats, StatsView) and (stats.name, stats.answered) == ("bob", 1)
