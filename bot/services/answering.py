"""Take an answer: check it against the round, score it, confirm it privately."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import AlreadyAnswered, NotAllowed, QuizError, RoundClosed
from bot.domain.model import Answer, Presentation, RoundKind, Where, Who
from bot.domain.ports import Score
from bot.domain.presenting import normalize_letters, question_view
from bot.domain.schedule import local_moment
from bot.domain.scoring import points_for
from bot.domain.views import Receipt, Verdict
from bot.services import recall
from bot.services.deps import Deps
from bot.services.streaks import streak_before


async def submit_answer(deps: Deps, where: Where, who: Who, round_id: int,
                        letters: str) -> Receipt | Verdict:
    """Record a member's first answer to a round; never trust the button, check the database."""
    now = deps.clock.now()
    picked = normalize_letters(letters)
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find(where.platform, where.workspace)
        round_ = await uow.rounds.lock(round_id)
        if workspace is None or round_ is None or round_.workspace_id != workspace.id:
            raise NotAllowed("That question isn't from this workspace, so it can't be answered "
                             "here.")
        member = await uow.members.ensure(workspace.id, who.external_id, who.display_name)
        if round_.kind is RoundKind.PRACTICE and round_.member_id != member.id:
            raise NotAllowed("That practice question is someone else's. Try `/quiz me`.")
        channel = await uow.channels.get(round_.channel_id)
        question = await uow.questions.get(round_.question_id)
        assert channel is not None and question is not None
        zone = channel.settings.tz
        if question.retired:
            raise RoundClosed("That question has been retired, so it scores nothing.")
        if not round_.is_open(now):
            raise RoundClosed(f"This question closed at "
                              f"{round_.closes_at.astimezone(zone):%H:%M}; the answer is "
                              "revealed in the channel.")
        previous = await uow.answers.get(round_.id, member.id)
        shown = Presentation.shuffled(question, round_.seed)
        if previous is not None:
            raise AlreadyAnswered(f"You already answered {shown.letters_for(previous.choices)}; "
                                  "the first answer counts.")
        _check_letters(picked, shown)
        correct = shown.is_correct(picked)
        before = 0
        if round_.kind is RoundKind.DAILY and round_.local_date is not None:
            before = await streak_before(uow, member.id, round_.channel_id, round_.local_date,
                                         now)
        scored_today = 0
        if round_.kind is RoundKind.PRACTICE:
            day = now.astimezone(zone).date()
            start = local_moment(day, datetime.min.time(), zone)
            scored_today = await uow.answers.practice_scored_between(
                member.id, start, start + timedelta(days=1))
        points = points_for(round_.kind, correct, streak_before=before,
                            practice_scored_today=scored_today, rules=deps.rules)
        streak = (before + 1 if correct else 0) if round_.kind is RoundKind.DAILY else 0
        await uow.answers.add(Answer(round_.id, member.id, shown.indexes_for(picked), correct,
                                     points, now, streak))
        await recall.record_answer(uow, workspace.id, member.id, question.id, correct, now)
        if round_.kind is RoundKind.PRACTICE:
            await uow.rounds.close(round_.id, now)
        titles = {t.slug: t.title for t in await uow.questions.topics()}
        await uow.commit()
    if points or round_.kind is not RoundKind.PRACTICE:  # a wrong answer makes a squad member
        await deps.leaderboard.record(Score(workspace.id, channel.id, member.id,
                                            member.display_name, points, now,
                                            squad=round_.kind is not RoundKind.PRACTICE))
    if round_.kind is RoundKind.PRACTICE:
        view = question_view(round_, question, titles.get(question.topic, ""),
                             channel.settings.zone)
        return Verdict(view, picked, shown.correct_letters, correct, points,
                       question.explanation,
                       capped=correct and points == 0)
    return Receipt(picked, round_.closes_at, channel.settings.zone, round_.kind)


def _check_letters(picked: str, shown: Presentation) -> None:
    wanted = len(shown.question.answer)
    allowed = f"{shown.letters[0]}–{shown.letters[-1]}"
    stray = [c for c in picked if c not in shown.letters]
    if stray:
        raise QuizError(f"There is no choice {', '.join(stray)}: pick from {allowed}.")
    if len(picked) != wanted:
        example = ",".join(shown.letters[:wanted]).lower()
        need = "one choice" if wanted == 1 else f"{wanted} choices"
        raise QuizError(f"This question takes {need}, like `{example}`.")
