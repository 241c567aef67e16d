"""Take an answer: check it against the round, score it, confirm it privately."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import AlreadyAnswered, NotAllowed, QuizError, RoundClosed
from bot.domain.model import Answer, Member, Presentation, RoundKind, Where, Who
from bot.domain.ports import Answering, Score
from bot.domain.presenting import normalize_letters, question_view
from bot.domain.schedule import local_moment
from bot.domain.scoring import points_for
from bot.domain.views import Receipt, Verdict
from bot.services import recall
from bot.services.deps import Deps
from bot.services.refusals import refusal, unknown_round
from bot.services.streaks import streak_before

LARGEST_ID = 2**63 - 1  # ids are BIGINT; a larger number in a button names no round
NOT_HERE = "That question isn't from this workspace, so it can't be answered here."


async def submit_answer(deps: Deps, where: Where, who: Who, round_id: int,
                        letters: str) -> Receipt | Verdict:
    """Record a member's first answer to a round; never trust the button, check the database.

    A pop answer costs one read and one write: the read takes everything at once, the write
    stores the answer with the member's totals (and creates a member seen for the first time).
    """
    now = deps.clock.now()
    picked = normalize_letters(letters)
    if not 0 < round_id <= LARGEST_ID:
        raise unknown_round()
    async with deps.uow() as uow:
        found = await uow.answers.answering(round_id, where.platform, where.workspace,
                                            who.external_id, now)
        if found is None:
            raise await refusal(uow, where, round_id)
        round_, question, channel = found.round, found.question, found.channel
        member = found.member
        zone = channel.settings.tz
        if round_.kind is RoundKind.PRACTICE and (member is None
                                                  or round_.member_id != member.id):
            raise NotAllowed("That practice question is someone else's. Try `/quiz me`.")
        if question.retired:
            raise RoundClosed("That question has been retired, so it scores nothing.")
        if not round_.is_open(now):
            raise RoundClosed(f"This question closed at "
                              f"{round_.closes_at.astimezone(zone):%H:%M}; the answer is "
                              "revealed in the channel.")
        shown = Presentation.shuffled(question, round_.seed)
        if found.previous is not None:
            raise AlreadyAnswered(f"You already answered "
                                  f"{shown.letters_for(found.previous.choices)}; "
                                  "the first answer counts.")
        _check_letters(picked, shown)
        correct = shown.is_correct(picked)
        before = 0
        if member is None:  # someone new: no streak, no practice round of theirs
            points = points_for(round_.kind, correct, rules=deps.rules)
            streak = 1 if correct and round_.kind is RoundKind.DAILY else 0
            answer_id, member = await uow.answers.add_newcomer(
                Answer(round_.id, 0, shown.indexes_for(picked), correct, points, now, streak),
                who.external_id, who.display_name)
            await recall.record_answer(uow, round_.workspace_id, member.id, question.id,
                                       correct, now)
            await uow.commit()
            return await _recorded(deps, found, member, answer_id, picked, correct, points,
                                   now)
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
        answer_id = await uow.answers.add(Answer(round_.id, member.id, shown.indexes_for(picked),
                                                 correct, points, now, streak))
        await recall.record_answer(uow, round_.workspace_id, member.id, question.id, correct, now)
        if round_.kind is RoundKind.PRACTICE:
            await uow.rounds.close(round_.id, now)
        await uow.commit()
    return await _recorded(deps, found, member, answer_id, picked, correct, points, now)


async def _recorded(deps: Deps, found: Answering, member: Member, answer_id: int, picked: str,
                    correct: bool, points: int, now: datetime) -> Receipt | Verdict:
    """After the commit: the leaderboard, then what the member is told."""
    round_, question, channel = found.round, found.question, found.channel
    if points or round_.kind is not RoundKind.PRACTICE:  # a wrong answer makes a squad member
        await deps.leaderboard.record(Score(round_.workspace_id, channel.id, member.id,
                                            member.display_name, points, now,
                                            squad=round_.kind is not RoundKind.PRACTICE,
                                            answer_id=answer_id))
    if round_.kind is RoundKind.PRACTICE:
        view = question_view(round_, question, found.topic_title, channel.settings.zone)
        shown = Presentation.shuffled(question, round_.seed)
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


async def rename_member(deps: Deps, where: Where, who: Who) -> None:
    """Store the display name the platform gives for a member (looked up after an answer,
    since the answer path asks the platform nothing)."""
    async with deps.uow() as uow:
        workspace = await uow.workspaces.find(where.platform, where.workspace)
        if workspace is None or await uow.members.find(workspace.id, who.external_id) is None:
            return
        await uow.members.ensure(workspace.id, who.external_id, who.display_name)
        await uow.commit()
