"""`/quiz review`: ask again the questions a member got wrong, latest miss first."""

from __future__ import annotations

from bot.domain import memory
from bot.domain.model import Round, RoundKind, Where, Who
from bot.domain.presenting import question_view
from bot.domain.views import Notice, ReviewQuestion
from bot.services import recall, reports
from bot.services.asking import PRACTICE_WINDOW
from bot.services.deps import Deps
from bot.services.tenancy import resolve

NOTHING_TO_REVIEW = ("Nothing to review: every question you got wrong has since been answered "
                     "right. `/quiz me` has more.")


async def ask_review(deps: Deps, where: Where, who: Who) -> ReviewQuestion | Notice:
    """The latest missed question as a private practice round; a right answer clears it."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace, channel, member = await resolve(uow, where, who)
        assert member is not None
        live = {q.id: q for q in await reports.usable(uow, workspace.id,
                                                      await uow.questions.all())
                if not q.retired}
        misses = [m for m in memory.missed(await recall.memories(uow, member.id))
                  if m.question_id in live]
        if not misses:
            await uow.commit()
            return Notice(NOTHING_TO_REVIEW)
        question = live[misses[0].question_id]
        round_ = await uow.rounds.add(Round(
            id=0, workspace_id=workspace.id, channel_id=channel.id, question_id=question.id,
            kind=RoundKind.PRACTICE, opened_at=now, closes_at=now + PRACTICE_WINDOW,
            seed=deps.rng.getrandbits(31), member_id=member.id))
        titles = {t.slug: t.title for t in await uow.questions.topics()}
        await uow.commit()
    view = question_view(round_, question, titles.get(question.topic, ""),
                         channel.settings.zone)
    return ReviewQuestion(view, len(misses))
