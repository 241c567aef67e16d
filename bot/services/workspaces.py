"""A workspace arrives (install, guild join) or leaves (uninstall, token revoked, guild leave)."""

from __future__ import annotations

from bot.services.deps import Deps


async def workspace_joined(deps: Deps, platform: str, external_id: str, name: str) -> int:
    """Create or reactivate the workspace; returns its id."""
    async with deps.uow() as uow:
        workspace = await uow.workspaces.ensure(platform, external_id, name)
        await uow.workspaces.set_active(workspace.id, True)
        channels = await uow.channels.in_workspace(workspace.id)
        await uow.commit()
    await deps.channels_changed(channels)
    return workspace.id


async def workspace_left(deps: Deps, platform: str, external_id: str) -> bool:
    """Mark the workspace gone and stop its schedules; its history stays. False if unknown."""
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find(platform, external_id)
        if workspace is None:
            return False
        await uow.workspaces.set_active(workspace.id, False)
        channels = await uow.channels.in_workspace(workspace.id)
        await uow.commit()
    await deps.channels_changed(channels)
    return True
