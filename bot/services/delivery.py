"""Posting to a platform on the deliverer's behalf, and what a failed post means."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

from bot.domain.channel import Channel
from bot.domain.model import Workspace
from bot.domain.ports import ChannelGone, RateLimited, WorkspaceGone
from bot.services.deps import Deps
from bot.services.workspaces import workspace_left

log = logging.getLogger(__name__)
T = TypeVar("T")


class Undelivered(Exception):
    """A post did not go out; `lasting` when it cannot work until someone acts."""

    def __init__(self, reason: str, lasting: bool) -> None:
        super().__init__(reason)
        self.reason, self.lasting = reason, lasting


async def deliver(deps: Deps, workspace: Workspace, channel: Channel, post: Awaitable[T]) -> T:
    """Run a post. A channel the platform refuses is paused; a workspace that no longer has
    the app is retired; either way, and on any other failure but RateLimited, raise
    Undelivered."""
    try:
        return await post
    except RateLimited:  # not a failure: the caller gives the post another turn
        raise
    except ChannelGone as gone:
        await disable_channel(deps, channel, str(gone))
        raise Undelivered(str(gone), lasting=True) from gone
    except WorkspaceGone as gone:
        log.warning("workspace %s is gone: %s", workspace.external_id, gone)
        await workspace_left(deps, workspace.platform, workspace.external_id)
        raise Undelivered(str(gone), lasting=True) from gone
    except Exception as error:
        # A passing failure is retried with backoff: one line each, the traceback at DEBUG.
        reason = f"{type(error).__name__}: {error}"
        log.warning("posting to #%s (%s) failed: %s", channel.name, channel.external_id, reason)
        log.debug("the failed post", exc_info=True)
        raise Undelivered(reason, lasting=False) from error


async def disable_channel(deps: Deps, channel: Channel, reason: str) -> None:
    """Stop a channel's schedule because the platform will not let us post there."""
    log.warning("disabling channel %s (%s): %s", channel.name, channel.external_id, reason)
    async with deps.uow() as uow:
        await uow.channels.disable(channel.id, reason)
        await uow.commit()
