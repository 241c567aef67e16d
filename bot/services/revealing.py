"""Close rounds and reveal the answer, exactly once."""

from __future__ import annotations

import logging

from bot.domain.model import RoundKind
from bot.domain.presenting import question_view, reveal_view
from bot.domain.views import RevealView
from bot.services.delivery import RETRY_FOR, Undelivered, deliver
from bot.services.deps import Deps
from bot.services.tenancy import target_of

log = logging.getLogger(__name__)


async def close_round(deps: Deps, round_id: int) -> RevealView | None:
    """Close a round and post its reveal; a round already closed yields None."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        round_ = await uow.rounds.get(round_id)
        if round_ is None or not await uow.rounds.close(round_id, now):
            return None
        question = await uow.questions.get(round_.question_id)
        channel = await uow.channels.get(round_.channel_id)
        workspace = await uow.workspaces.get(round_.workspace_id)
        assert question is not None and channel is not None and workspace is not None
        titles = {t.slug: t.title for t in await uow.questions.topics()}
        view = question_view(round_, question, titles.get(question.topic, ""),
                             channel.settings.zone)
        reveal = reveal_view(view, round_, question, await uow.answers.for_round(round_id))
        await uow.commit()
    if round_.kind is not RoundKind.PRACTICE:
        try:
            await deliver(deps, workspace, channel, deps.poster.post_reveal(
                target_of(workspace, channel), round_.message_ref, reveal))
        except Undelivered as failed:
            if not failed.lasting and now < round_.closes_at + RETRY_FOR:
                async with deps.uow() as uow:  # open it for the next pass to reveal again
                    await uow.rounds.reopen(round_id)
                    await uow.commit()
            return None
    return reveal


async def close_due_rounds(deps: Deps) -> list[RevealView]:
    """Close every round whose window has passed; returns the reveals made."""
    async with deps.uow() as uow:
        due = await uow.rounds.due_to_close(deps.clock.now())
    reveals = []
    for round_ in due:
        try:
            reveal = await close_round(deps, round_.id)
        except Exception:  # one broken round must not keep the others from their reveal
            log.exception("revealing round %s failed", round_.id)
            continue
        if reveal is not None:
            reveals.append(reveal)
    return reveals
