"""A member's home tab, and a workspace arriving, leaving and coming back, on real databases."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.clock import FrozenClock
from bot.domain.model import Where, Who
from bot.domain.views import Notice, PopPosted
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due
from bot.services.home import member_home
from bot.services.workspaces import workspace_joined, workspace_left
from tests.sample import right_letters

GENERAL = Where("slack", "T1", "C1", "Acme", "general")
RANDOM = Where("slack", "T1", "C2", "Acme", "random")
QUIET = Where("slack", "T1", "C3", "Acme", "quiet")
ADMIN = Who("A1", "ada", is_admin=True)
ANN = Who("U1", "ann")


async def _admin(deps: Deps, where: Where, text: str) -> None:
    assert isinstance(await quiz.handle(deps, where, ADMIN, text), Notice)


async def test_the_home_tab_shows_the_member_s_own_record_and_the_channels_that_play(
        deps: Deps, clock: FrozenClock) -> None:
    await _admin(deps, GENERAL, "daily 09:30 UTC daily")
    await quiz.handle(deps, QUIET, ADMIN, "settings")  # a channel the bot knows, unscheduled
    posted = await quiz.handle(deps, RANDOM, ADMIN, "now")
    assert isinstance(posted, PopPosted)
    await quiz.answer(deps, RANDOM, ANN, posted.question.round_id, right_letters(posted.question))

    home = await member_home(deps, "slack", "T1", ANN)

    stats = home.stats
    assert (stats.name, stats.answered, stats.correct, stats.points) == ("ann", 1, 1, 5)
    assert stats.readiness is not None and stats.readiness.score is None  # too few answers
    assert [view.channel for view in home.channels] == ["general"]
    [general] = home.channels
    assert general.next_daily[0] == datetime(2027, 3, 26, 9, 30, tzinfo=UTC)


async def test_a_channel_turned_off_for_being_gone_still_shows_on_the_home_tab(
        deps: Deps) -> None:
    await _admin(deps, GENERAL, "daily 09:30 UTC daily")
    await quiz.handle(deps, RANDOM, ADMIN, "settings")
    async with deps.uow() as uow:
        acme = await uow.workspaces.find("slack", "T1")
        assert acme is not None
        [random] = [c for c in await uow.channels.in_workspace(acme.id) if c.external_id == "C2"]
        await uow.channels.disable(random.id, "channel_not_found")
        await uow.commit()

    home = await member_home(deps, "slack", "T1", ANN)

    assert sorted((v.channel, v.disabled) for v in home.channels) == [
        ("general", None), ("random", "channel_not_found")]


async def test_opening_the_home_tab_creates_no_channel(deps: Deps) -> None:
    home = await member_home(deps, "slack", "T9", ANN)
    assert home.channels == [] and home.stats.answered == 0
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find("slack", "T9")
        assert workspace is not None
        assert await uow.channels.in_workspace(workspace.id) == []


async def test_a_workspace_that_leaves_stops_its_schedule_and_one_that_rejoins_resumes_it(
        deps: Deps, clock: FrozenClock) -> None:
    await _admin(deps, GENERAL, "daily 09:30 UTC daily")
    assert await workspace_left(deps, "slack", "T1")
    clock.set(datetime(2027, 3, 29, 9, 31, tzinfo=UTC))
    assert (await run_due(deps)).questions == []  # gone: nothing is posted there

    workspace_id = await workspace_joined(deps, "slack", "T1", "Acme")

    async with deps.uow() as uow:
        workspace = await uow.workspaces.find("slack", "T1")
        [channel] = await uow.channels.in_workspace(workspace_id)
    assert workspace is not None and workspace.id == workspace_id and workspace.active
    # Planned anew from now, as a new schedule is: the days missed while gone are not made up.
    tuesday = datetime(2027, 3, 30, 9, 30, tzinfo=UTC)
    assert channel.due.daily == tuesday
    clock.set(tuesday)
    assert len((await run_due(deps)).questions) == 1


async def test_a_workspace_unknown_to_the_bot_cannot_leave_it(deps: Deps) -> None:
    assert not await workspace_left(deps, "slack", "T404")
    async with deps.uow() as uow:
        assert await uow.workspaces.find("slack", "T404") is None


async def test_a_new_workspace_joins_with_its_name_and_no_channels(deps: Deps) -> None:
    workspace_id = await workspace_joined(deps, "discord", "G7", "Guild Seven")
    async with deps.uow() as uow:
        workspace = await uow.workspaces.get(workspace_id)
        assert await uow.channels.in_workspace(workspace_id) == []
    assert workspace is not None and (workspace.name, workspace.active) == ("Guild Seven", True)
