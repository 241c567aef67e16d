"""Mock exams: start (or resume) one, answer its questions one at a time, score it at the end."""

from __future__ import annotations

from datetime import datetime

from bot.domain import exam as rules
from bot.domain import selection
from bot.domain.errors import AlreadyAnswered, NotAllowed, QuizError
from bot.domain.exam import Exam
from bot.domain.model import Member, Question, Where, Who
from bot.domain.ports import UnitOfWork
from bot.domain.presenting import normalize_letters
from bot.domain.views import ExamQuestion, ExamResult, Notice
from bot.services import recall, reports
from bot.services.deps import Deps
from bot.services.tenancy import resolve


async def start_exam(deps: Deps, where: Where, who: Who,
                     size: int) -> ExamQuestion | ExamResult:
    """A new exam of `size` questions in domain proportions, or the member's running one where
    they left it (or its result, when its time ran out meanwhile)."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace, _, member = await resolve(uow, where, who)
        assert member is not None
        questions = await _bank(uow)
        running = await uow.exams.running(member.id)
        if running is not None and running.timed_out(now):
            result = await _finish(uow, running, questions, deps)
            await uow.commit()
            return result
        if running is not None:
            await uow.commit()
            return _question(running, questions, now, resumed=True)
        pool = await reports.usable(uow, workspace.id,
                                    selection.eligible(questions.values(), frozenset()))
        chosen = rules.plan(pool, size, deps.rng)
        if not chosen:
            raise QuizError("There are no questions for an exam yet; ask an admin to load the "
                            "bank.")
        exam = await uow.exams.add(Exam(
            0, workspace.id, member.id, tuple(q.id for q in chosen), (None,) * len(chosen),
            deps.rng.getrandbits(31), now, now + rules.duration(len(chosen))))
        await uow.commit()
    return _question(exam, questions, now)


async def stop_exam(deps: Deps, where: Where, who: Who) -> ExamResult | Notice:
    """End the member's running exam now; unanswered questions count as wrong."""
    async with deps.uow() as uow:
        _, _, member = await resolve(uow, where, who)
        assert member is not None
        running = await uow.exams.running(member.id)
        if running is None:
            await uow.commit()
            return Notice("You have no mock exam running. Start one with `/quiz exam`.")
        result = await _finish(uow, running, await _bank(uow), deps,
                               timed_out=running.timed_out(deps.clock.now()))
        await uow.commit()
    return result


async def answer_exam(deps: Deps, where: Where, who: Who, exam_id: int, number: int,
                      letters: str) -> ExamQuestion | ExamResult:
    """Record the answer to question `number`; the next question, or the result after the last."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        exam, member = await _own_exam(uow, where, who, exam_id)
        questions = await _bank(uow)
        if exam.finished_at is not None:
            return ExamResult(exam.id, rules.score(exam, questions, timed_out=False))
        if exam.timed_out(now):
            result = await _finish(uow, exam, questions, deps)
            await uow.commit()
            return result
        position = exam.position
        if number != position + 1:
            raise AlreadyAnswered(f"You answered question {number} already; question "
                                  f"{position + 1} is the one to answer now.")
        question = questions[exam.question_ids[position]]
        shown = exam.presentation(question, position)
        picked = _checked(normalize_letters(letters), shown.letters, len(question.answer))
        exam = exam.answered(position, shown.indexes_for(picked))
        # A mock exam is recall too: it feeds the member's spaced-repetition schedule.
        await recall.record_answer(uow, exam.workspace_id, member.id, question.id,
                                   shown.is_correct(picked), now)
        if exam.position == exam.size:
            result = await _finish(uow, exam, questions, deps)
            await uow.commit()
            return result
        await uow.exams.save(exam)
        await uow.commit()
    return _question(exam, questions, now)


async def _own_exam(uow: UnitOfWork, where: Where, who: Who,
                    exam_id: int) -> tuple[Exam, Member]:
    # Found, not resolved: an answer from a direct message must not create a channel.
    workspace = await uow.workspaces.find(where.platform, where.workspace)
    exam = await uow.exams.lock(exam_id)
    if workspace is None or exam is None or exam.workspace_id != workspace.id:
        raise NotAllowed("That exam isn't from this workspace.")
    # Found, not ensured: a click's payload may carry a handle, not the member's display name.
    member = await uow.members.find(workspace.id, who.external_id)
    if member is None or exam.member_id != member.id:
        raise NotAllowed("That mock exam is someone else's. Start your own with `/quiz exam`.")
    return exam, member


async def _bank(uow: UnitOfWork) -> dict[str, Question]:
    return {q.id: q for q in await uow.questions.all()}


async def _finish(uow: UnitOfWork, exam: Exam, questions: dict[str, Question],
                  deps: Deps, timed_out: bool | None = None) -> ExamResult:
    if timed_out is None:
        timed_out = exam.position < exam.size
    finished = Exam(exam.id, exam.workspace_id, exam.member_id, exam.question_ids,
                    exam.answers, exam.seed, exam.started_at, exam.ends_at, deps.clock.now())
    await uow.exams.save(finished)
    return ExamResult(exam.id, rules.score(finished, questions, timed_out))


def _question(exam: Exam, questions: dict[str, Question], now: datetime,
              resumed: bool = False) -> ExamQuestion:
    position = exam.position
    question = questions[exam.question_ids[position]]
    shown = exam.presentation(question, position)
    return ExamQuestion(exam.id, position + 1, exam.size, question.text, shown.lettered_choices,
                        len(question.answer), rules.minutes_left(exam, now), resumed)


def _checked(picked: str, letters: str, wanted: int) -> str:
    stray = [c for c in picked if c not in letters]
    if stray:
        raise QuizError(f"There is no choice {', '.join(stray)}: pick from "
                        f"{letters[0]}–{letters[-1]}.")
    if len(picked) != wanted:
        need = "one choice" if wanted == 1 else f"{wanted} choices"
        raise QuizError(f"This question takes {need}, like `{','.join(letters[:wanted]).lower()}`.")
    return picked
