"""Report a problem with a question; enough reports hold it back until someone clears them."""

from __future__ import annotations

from bot.domain.errors import NotAllowed, QuizError
from bot.domain.model import Question, RoundKind, Where, Who
from bot.domain.ports import UnitOfWork
from bot.domain.reports import HOLD_AT, Report, ReportSummary, held_back, one_line, summarize
from bot.domain.views import Notice
from bot.services.deps import Deps
from bot.services.tenancy import resolve

THANKS = "Thanks: your report is in, and the people who keep the question bank will see it."
HELD = (f" {HOLD_AT} people here have reported it, so it is held back from new rounds until "
        "they check it.")


async def report_problem(deps: Deps, where: Where, who: Who, round_id: int,
                         reason: str) -> Notice:
    """Store a member's one-line report on the question of a round they could see."""
    text = one_line(reason)
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace, _, member = await resolve(uow, where, who)
        assert member is not None
        round_ = await uow.rounds.get(round_id)
        if round_ is None or round_.workspace_id != workspace.id:
            raise NotAllowed(f"There is no question {round_id} here to report.")
        if round_.kind is RoundKind.PRACTICE and round_.member_id != member.id:
            raise NotAllowed("That practice question is someone else's.")
        was_held = round_.question_id in held_back(await uow.reports.open_in(workspace.id))
        await uow.reports.add(Report(workspace.id, round_.question_id, member.id, text, now,
                                     round_.id))
        now_held = round_.question_id in held_back(await uow.reports.open_in(workspace.id))
        await uow.commit()
    return Notice(THANKS + (HELD if now_held and not was_held else ""))


async def usable(uow: UnitOfWork, workspace_id: int, pool: list[Question]) -> list[Question]:
    """The pool without the questions this workspace's reports hold back."""
    held = held_back(await uow.reports.open_in(workspace_id))
    return [q for q in pool if q.id not in held]


async def open_reports(deps: Deps) -> list[ReportSummary]:
    """Every question with open reports, the most reported first."""
    async with deps.uow() as uow:
        return summarize(await uow.reports.open())


async def clear_reports(deps: Deps, question_id: str) -> int:
    """Clear a question's reports, so it is scheduled again; how many were cleared."""
    async with deps.uow() as uow:
        if await uow.questions.get(question_id) is None:
            raise QuizError(f"There is no question `{question_id}`. "
                            "`quizbot questions reports` lists the reported ones.")
        cleared = await uow.reports.clear(question_id, deps.clock.now())
        await uow.commit()
    return cleared
