"""Take an answer: check it against the round, score it, confirm it privately."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import AlreadyAnswered, NotAllowed, QuizError, RoundClosed
from bot.domain.model import Answer, Member, Presentation, RoundKind, Where, Who
from bot.domain.ports import Answering, Score
from bot.domain.presenting import normalize_letters, question_view
from bot.domain.schedule import local_moment, when_text
from bot.domain.scoring import points_for
from bot.domain.views import Receipt, Verdict
from bot.services.deps import Deps
from bot.services.refusals import LARGEST_ID, refused, unknown_round
from bot.services.streaks import streak_before


async def submit_answer(deps: Deps, where: Where, who: Who, round_id: int,
                        letters: str) -> Receipt | Verdict:
    """Record a member's first answer to a round; never trust the button, check the database.

    A pop answer costs one read and one write, each committing on its own: the read takes
    everything at once, and the write stores the answer with the member's totals (creating a
    member seen for the first time) only if the round is still open, so a close in between
    refuses it. Once the process knows a pop quiz, its clicks skip the read. A daily answer
    reads the member's streak as well, a practice answer their count of the day.
    """
    now = deps.clock.now()
    picked = normalize_letters(letters)
    if not 0 < round_id <= LARGEST_ID:
        raise unknown_round()
    book = deps.answers
    found = await book.answering(round_id, where.platform, where.workspace, who.external_id)
    if found is None:
        raise await refused(deps, where, round_id)
    round_, question, channel = found.round, found.question, found.channel
    member = found.member
    if round_.kind is RoundKind.PRACTICE and (member is None or round_.member_id != member.id):
        raise NotAllowed("That practice question is someone else's. Try `/quiz me`.")
    if question.retired:
        raise RoundClosed("That question has been retired, so it scores nothing.")
    shown = Presentation.shuffled(question, round_.seed)
    if found.previous is not None:  # before the window: a practice answer closes its round
        raise _already(shown, found.previous)
    if not round_.is_open(now):  # a read from memory did not see an earlier answer
        raise ((found.member is None and await _earlier(deps, where, who, round_id, shown))
               or _closed(found, now))
    _check_letters(picked, shown)
    correct = shown.is_correct(picked)
    before = scored_today = 0
    if member is not None and round_.kind is RoundKind.DAILY and round_.local_date is not None:
        before = await streak_before(book, member.id, round_.channel_id, round_.local_date, now)
    if member is not None and round_.kind is RoundKind.PRACTICE:
        zone = channel.settings.tz
        start = local_moment(now.astimezone(zone).date(), datetime.min.time(), zone)
        scored_today = await book.practice_scored_between(member.id, start,
                                                          start + timedelta(days=1))
    points = points_for(round_.kind, correct, streak_before=before,
                        practice_scored_today=scored_today, rules=deps.rules)
    streak = (before + 1 if correct else 0) if round_.kind is RoundKind.DAILY else 0
    answer = Answer(round_.id, member.id if member is not None else 0,
                    shown.indexes_for(picked), correct, points, now, streak)
    try:
        added = await book.add_while_open(answer, who, member,
                                          close=round_.kind is RoundKind.PRACTICE)
    except AlreadyAnswered as refusal:  # the member's earlier answer, unknown to the read
        raise await _earlier(deps, where, who, round_id, shown) or refusal from None
    if added is None:  # closed since the read, or the member's other click got there first
        raise await _earlier(deps, where, who, round_id, shown) or _closed(found, now)
    return await _recorded(deps, found, added.member, added.answer_id, picked, correct,
                           points, now)


async def _earlier(deps: Deps, where: Where, who: Who, round_id: int,
                  shown: Presentation) -> AlreadyAnswered | None:
    """The refusal naming the member's stored answer, read afresh; None if there is none."""
    again = await deps.answers.answering(round_id, where.platform, where.workspace,
                                         who.external_id, fresh=True)
    return _already(shown, again.previous) if again and again.previous else None


def _closed(found: Answering, now: datetime) -> RoundClosed:
    closed = when_text(found.round.closes_at, found.channel.settings.zone, now)
    return RoundClosed(f"This question closed at {closed}; the answer is revealed in the "
                       "channel.")


def _already(shown: Presentation, previous: Answer) -> AlreadyAnswered:
    return AlreadyAnswered(f"You already answered {shown.letters_for(previous.choices)}; "
                           "the first answer counts.")


async def _recorded(deps: Deps, found: Answering, member: Member, answer_id: int, picked: str,
                    correct: bool, points: int, now: datetime) -> Receipt | Verdict:
    """After the commit: the leaderboard, then what the member is told (the review schedule
    takes the answer in when it is next read)."""
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
    return Receipt(picked, round_.closes_at, channel.settings.zone, round_.kind, now)


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
