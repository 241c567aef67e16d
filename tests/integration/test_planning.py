"""Due instants for channels stored without them, and the schedule preview operators read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

import pytest

from bot.domain.errors import QuizError
from bot.domain.model import Where, Who
from bot.domain.schedule import ChannelSettings
from bot.services import planning, quiz
from bot.services.deps import Deps
from bot.services.planning import plan_unplanned, preview

GENERAL = Where("slack", "T1", "C1", "Acme", "general")
ADMIN = Who("A1", "ada", is_admin=True)
NINE = ChannelSettings(daily_time=time(9, 0), zone="UTC", days=frozenset(range(7)))
NEVER = ChannelSettings(daily_time=time(9, 0), zone="UTC", days=frozenset())


async def _stored_without_due_instants(deps: Deps, settings: ChannelSettings,
                                       count: int) -> list[int]:
    """Channels with a schedule saved as it was before due instants were stored."""
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure("slack", "T1", "Acme")
        ids = []
        for n in range(count):
            channel = await uow.channels.ensure(workspace.id, f"C{n}", f"room{n}")
            await uow.channels.save_settings(channel.id, settings)
            ids.append(channel.id)
        await uow.commit()
    return ids


async def test_channels_stored_without_due_instants_are_planned_batch_by_batch(
        deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "BATCH", 2)
    ids = await _stored_without_due_instants(deps, NINE, 4)  # two full batches, then none

    assert await plan_unplanned(deps) == 4

    async with deps.uow() as uow:
        channels = await uow.channels.many(ids)
        assert await uow.channels.unplanned(10) == []
    assert {c.due.daily for c in channels.values()} == {datetime(2027, 3, 26, 9, 0, tzinfo=UTC)}
    assert await plan_unplanned(deps) == 0


async def test_channels_whose_settings_make_nothing_due_are_not_planned_over_and_over(
        deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "BATCH", 2)
    await _stored_without_due_instants(deps, NEVER, 3)  # a daily time, but on no weekday
    assert await plan_unplanned(deps) == 0  # and it returns: the same batch would come back


async def test_the_preview_lists_the_next_posts_in_the_channel_s_own_time(deps: Deps) -> None:
    await quiz.handle(deps, GENERAL, ADMIN, "daily 09:00 Europe/Berlin mon-fri")
    await quiz.handle(deps, GENERAL, ADMIN, "weekly fri 16:00")
    # Friday 26 March 2027, 09:59 in Berlin: today's question has opened, the board is to come.
    expected = [
        "#general (C1), times in Europe/Berlin:",
        "  daily question Mon 2027-03-29 09:00, reveal 17:00",
        "  daily question Tue 2027-03-30 09:00, reveal 17:00",
        "  weekly board   Fri 2027-03-26 16:00",
    ]
    assert await preview(deps, "#general", count=2) == expected
    assert await preview(deps, "C1", count=2) == expected


async def test_the_preview_of_a_channel_with_no_schedule_says_how_to_make_one(
        deps: Deps) -> None:
    await quiz.handle(deps, GENERAL, ADMIN, "settings")
    with pytest.raises(QuizError) as refused:
        await preview(deps, "#general")
    assert str(refused.value) == ("No scheduled channel is called '#general'. Set one up with "
                                  "`/quiz daily 09:00 Europe/Berlin` in the channel first.")


async def test_the_preview_of_a_channel_not_planned_yet_shows_the_next_five_posts_its_settings_make(
        deps: Deps) -> None:
    await _stored_without_due_instants(deps, replace(NINE, weekly_day=4), 1)
    # Friday 26 March 2027, 08:59 UTC: today's question and board are still to come.
    assert await preview(deps, "#room0") == [
        "#room0 (C0), times in UTC:",
        "  daily question Fri 2027-03-26 09:00, reveal 17:00",
        "  daily question Sat 2027-03-27 09:00, reveal 17:00",
        "  daily question Sun 2027-03-28 09:00, reveal 17:00",
        "  daily question Mon 2027-03-29 09:00, reveal 17:00",
        "  daily question Tue 2027-03-30 09:00, reveal 17:00",
        "  weekly board   Fri 2027-03-26 16:00",
    ]


async def test_the_preview_drops_only_the_hash_in_front_of_a_channel_s_name(deps: Deps) -> None:
    xray = Where("slack", "T1", "C9", "Acme", "X-ray")
    await quiz.handle(deps, xray, ADMIN, "daily 09:00 UTC")
    assert (await preview(deps, "#X-ray", count=1))[0] == "#X-ray (C9), times in UTC:"
