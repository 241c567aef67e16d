"""Find or create the workspace, channel and member a request comes from."""

from __future__ import annotations

from bot.domain.channel import Channel, Target
from bot.domain.model import Member, Where, Who, Workspace
from bot.domain.ports import UnitOfWork


async def resolve(uow: UnitOfWork, where: Where, who: Who | None = None
                  ) -> tuple[Workspace, Channel, Member | None]:
    """The tenant, channel and (if given) member of a request, created on first sight."""
    workspace = await uow.workspaces.ensure(where.platform, where.workspace,
                                            where.workspace_name or where.workspace)
    if not workspace.active:
        # A signed request from the workspace proves the app is installed there again
        # (a one-workspace Slack app reinstalled with the same token sends no install event).
        await uow.workspaces.set_active(workspace.id, True)
    channel = await uow.channels.ensure(workspace.id, where.channel,
                                        where.channel_name or where.channel)
    member = None
    if who is not None:
        member = await uow.members.ensure(workspace.id, who.external_id, who.display_name)
    return workspace, channel, member


def target_of(workspace: Workspace, channel: Channel) -> Target:
    """Where the platform should post for this channel."""
    return Target(workspace.platform, workspace.external_id, channel.external_id)
