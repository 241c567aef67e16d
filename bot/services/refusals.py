"""Why a click cannot answer a round: each case gets its own error, so tests can tell them apart."""

from __future__ import annotations

from bot.domain.errors import OtherWorkspace, QuizError, UnknownRound, UnknownWorkspace
from bot.domain.model import Where
from bot.domain.ports import UnitOfWork
from bot.services.deps import Deps

LARGEST_ID = 2**63 - 1  # ids are BIGINT; a larger number in a button names no round
NOT_HERE = "That question isn't from this workspace, so it can't be answered here."
NO_SUCH_ROUND = "That question doesn't exist, so it can't be answered."
NO_WORKSPACE = "This workspace has no quiz yet, so there is nothing to answer here."


def unknown_round() -> UnknownRound:
    """The error for a round id that cannot name a round."""
    return UnknownRound(NO_SUCH_ROUND)


async def refusal(uow: UnitOfWork, where: Where, round_id: int) -> QuizError:
    """The error for a round the answer path did not find from this workspace.

    Only read after the answer path's one query came back empty, so it costs nothing on the
    way of an answer that counts.
    """
    if await uow.workspaces.find(where.platform, where.workspace) is None:
        return UnknownWorkspace(NO_WORKSPACE)
    if not 0 < round_id <= LARGEST_ID or await uow.rounds.get(round_id) is None:
        return unknown_round()
    return OtherWorkspace(NOT_HERE)


async def refused(deps: Deps, where: Where, round_id: int) -> QuizError:
    """The same, in a unit of work of its own (the answer path reads without one)."""
    async with deps.uow() as uow:
        return await refusal(uow, where, round_id)
