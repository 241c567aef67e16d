"""Two requests at once: the database's unique keys decide, and nobody sees an error."""

from __future__ import annotations

import asyncio

from bot.domain.model import Member
from bot.services.deps import Deps


async def test_a_new_member_arriving_twice_at_once_becomes_one_member(deps: Deps) -> None:
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure("slack", "T1", "Acme")
        await uow.commit()

    async def arrive() -> Member:
        async with deps.uow() as uow:
            member = await uow.members.ensure(workspace.id, "U1", "ann")
            await asyncio.sleep(0.05)  # both requests are inside their transactions now
            await uow.commit()
        return member

    first, second = await asyncio.gather(arrive(), arrive())
    assert first.id == second.id
