"""A workspace arrives (install, guild join) or leaves (uninstall, token revoked, guild leave)."""

from __future__ import annotations

from bot.services.deps import Deps
from bot.services.planning import replan


async def workspace_joined(deps: Deps, platform: str, external_id: str, name: str) -> int:
    """Create or reactivate the workspace and plan its channels anew; returns its id."""
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure(platform, external_id, name)
        await uow.workspaces.set_active(workspace.id, True)
        for channel in await uow.channels.in_workspace(workspace.id):
            await replan(uow, channel, deps.clock.now())
        await uow.commit()
    return workspace.id


async def workspace_left(deps: Deps, platform: str, external_id: str) -> bool:
    """Mark the workspace gone, which stops its schedules; its history stays. False if unknown.
    """
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find(platform, external_id)
        if workspace is None:
            return False
        await uow.workspaces.set_active(workspace.id, False)
        await uow.commit()
    return True
