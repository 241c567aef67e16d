"""A member's home tab on the fakes: a member and workspace first seen there, the daily streak,
a channel's next posts worked out from its settings."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.adapters.clock import FrozenClock
from bot.domain.model import Where, Who
from bot.domain.schedule import EVERY_DAY, ChannelSettings
from bot.services import quiz
from bot.services.due import run_due
from bot.services.home import member_home
from tests.sample import right_letters
from tests.unit.fake_deps import deps_on
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ADMIN = Who("A1", "ada", is_admin=True)
ANN = Who("U1", "ann")
START = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


async def test_a_member_and_workspace_first_seen_on_the_home_tab_are_stored_by_name() -> None:
    store = Store()
    home = await member_home(await deps_on(store, START), "slack", "T9", ANN)
    assert home.stats.name == "ann"
    assert [(w.external_id, w.name) for w in store.workspaces.values()] == [("T9", "T9")]
    assert [m.display_name for m in store.members.values()] == ["ann"]


async def test_the_home_tab_shows_the_member_s_daily_streak() -> None:
    clock = FrozenClock(START)
    deps = await deps_on(Store(), clock)
    await quiz.handle(deps, HERE, ADMIN, "daily 09:30 UTC daily")
    clock.advance(timedelta(minutes=31))
    [daily] = (await run_due(deps)).questions
    await quiz.answer(deps, HERE, ANN, daily.round_id, right_letters(daily))
    home = await member_home(deps, "slack", "T1", ANN)
    assert (home.stats.answered, home.stats.streak) == (1, 1)


async def test_the_home_tab_works_out_the_next_posts_of_a_channel_stored_without_them(
        ) -> None:
    deps = await deps_on(Store(), START)
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure("slack", "T1", "Acme")
        channel = await uow.channels.ensure(workspace.id, "C1", "general")
        await uow.channels.save_settings(channel.id, ChannelSettings(
            daily_time=time(9, 30), days=EVERY_DAY))
        await uow.commit()
    home = await member_home(deps, "slack", "T1", ANN)
    [general] = home.channels
    assert general.next_daily[0] == datetime(2027, 3, 26, 9, 30, tzinfo=UTC)
