"""Ask questions: a pop quiz, a private practice question, the daily question."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.domain.channel import Channel
from bot.domain.errors import QuizError
from bot.domain.model import Question, Round, RoundKind, Where, Who, Workspace
from bot.domain.ports import Duplicate, UnitOfWork
from bot.domain.presenting import question_view
from bot.domain.schedule import current_daily_slot
from bot.domain.selection import eligible, pick_for_channel, pick_for_practice
from bot.domain.views import PopPosted, QuestionView
from bot.services.delivery import Undelivered, deliver
from bot.services.deps import Deps
from bot.services.tenancy import resolve, target_of

log = logging.getLogger(__name__)
PRACTICE_WINDOW = timedelta(hours=1)


async def _topic_titles(uow: UnitOfWork) -> dict[str, str]:
    return {t.slug: t.title for t in await uow.questions.topics()}


async def _pick_for_channel(deps: Deps, uow: UnitOfWork, channel: Channel) -> Question:
    pool = eligible(await uow.questions.all(), channel.settings.topics)
    question = pick_for_channel(pool, await uow.rounds.times_asked(channel.id), deps.rng)
    if question is None:
        raise QuizError("No questions match this channel's topics. "
                        "Widen them with `/quiz only all`.")
    return question


async def ask_pop(deps: Deps, where: Where, who: Who) -> PopPosted:
    """Post a pop quiz to the channel, open to everyone for the channel's pop window."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace, channel, _ = await resolve(uow, where, who)
        running = [r for r in await uow.rounds.open_in_channel(channel.id, now)
                   if r.kind is RoundKind.POP]
        if running:
            closes = running[0].closes_at.astimezone(channel.settings.tz)
            raise QuizError(f"A pop quiz is already running here; it closes at "
                            f"{closes:%H:%M}. Answer that one first!")
        question = await _pick_for_channel(deps, uow, channel)
        round_ = await uow.rounds.add(Round(
            id=0, workspace_id=workspace.id, channel_id=channel.id, question_id=question.id,
            kind=RoundKind.POP, opened_at=now, closes_at=now + channel.settings.pop_window,
            seed=deps.rng.getrandbits(31)))
        view = question_view(round_, question, (await _topic_titles(uow)).get(question.topic, ""),
                             channel.settings.zone)
        await uow.commit()
    try:
        await _post(deps, round_, view, workspace, channel)
    except Undelivered as failed:
        if failed.lasting:
            raise QuizError(f"I can't post in this channel ({failed.reason}). Add the bot to "
                            "the channel, then try `/quiz` again.") from None
        raise QuizError("I couldn't post the question to this channel just now. "
                        "Please try `/quiz` again in a minute.") from None
    return PopPosted(view)


async def ask_practice(deps: Deps, where: Where, who: Who, topic: str | None) -> QuestionView:
    """A private practice question, preferring ones the member has not seen or got wrong."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace, channel, member = await resolve(uow, where, who)
        assert member is not None
        titles = await _topic_titles(uow)
        if topic is not None and topic not in titles:
            raise QuizError(f"I don't know the topic `{topic}`. Topics: "
                            f"{', '.join(sorted(titles))}. Use `/quiz me [topic]`.")
        pool = eligible(await uow.questions.all(),
                        frozenset({topic}) if topic else channel.settings.topics)
        history = await uow.answers.practice_history(member.id)
        question = pick_for_practice(pool, history, deps.rng)
        if question is None:
            raise QuizError("There are no questions to practice yet; "
                            "ask an admin to load the bank.")
        round_ = await uow.rounds.add(Round(
            id=0, workspace_id=workspace.id, channel_id=channel.id, question_id=question.id,
            kind=RoundKind.PRACTICE, opened_at=now, closes_at=now + PRACTICE_WINDOW,
            seed=deps.rng.getrandbits(31), member_id=member.id))
        await uow.commit()
        return question_view(round_, question, titles.get(question.topic, ""),
                             channel.settings.zone)


async def open_daily(deps: Deps, channel_id: int, now: datetime | None = None
                     ) -> QuestionView | None:
    """Open and post the channel's daily question if its window is open and it is not yet asked.

    The unique (channel, local date) round makes a second attempt, by a retry or a second
    scheduler, a harmless no-op.
    """
    now = now or deps.clock.now()
    async with deps.uow() as uow:
        channel = await uow.channels.get(channel_id)
        if channel is None or channel.disabled:
            return None
        workspace = await uow.workspaces.get(channel.workspace_id)
        if workspace is None or not workspace.active:
            return None
        slot = current_daily_slot(channel.settings, now)
        if slot is None or await uow.rounds.daily_on(channel.id, slot.local_date):
            return None
        question = await _pick_for_channel(deps, uow, channel)
        try:
            round_ = await uow.rounds.add(Round(
                id=0, workspace_id=workspace.id, channel_id=channel.id,
                question_id=question.id, kind=RoundKind.DAILY, opened_at=now,
                closes_at=slot.closes_at, seed=deps.rng.getrandbits(31),
                local_date=slot.local_date))
            view = question_view(round_, question,
                                 (await _topic_titles(uow)).get(question.topic, ""),
                                 channel.settings.zone)
            await uow.commit()
        except Duplicate:
            return None
    try:
        await _post(deps, round_, view, workspace, channel)
    except Undelivered:
        return None  # the round is gone again; the next pass of the scheduler retries
    return view


async def _post(deps: Deps, round_: Round, view: QuestionView, workspace: Workspace,
                channel: Channel) -> None:
    """Post a committed round; if the post fails, the round goes, so nobody is asked about a
    question nobody saw (and a daily question is tried again on the next pass)."""
    try:
        ref = await deliver(deps, workspace, channel,
                            deps.poster.post_question(target_of(workspace, channel), view))
    except Undelivered:
        async with deps.uow() as uow:
            await uow.rounds.discard(round_.id)
            await uow.commit()
        raise
    if ref:
        async with deps.uow() as uow:
            await uow.rounds.set_message_ref(round_.id, ref)
            await uow.commit()
