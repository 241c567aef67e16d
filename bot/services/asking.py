"""Ask questions: a pop quiz for the channel, a private practice question."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import selection
from bot.domain.channel import Channel
from bot.domain.errors import QuizError
from bot.domain.model import Question, Round, RoundKind, Where, Who
from bot.domain.outbox import Delivery, DeliveryKind
from bot.domain.ports import UnitOfWork
from bot.domain.presenting import question_view
from bot.domain.views import PopPosted, QuestionView
from bot.services.deps import Deps
from bot.services.tenancy import resolve

PRACTICE_WINDOW = timedelta(hours=1)


async def _topic_titles(uow: UnitOfWork) -> dict[str, str]:
    return {t.slug: t.title for t in await uow.questions.topics()}


async def pick_for_channel(deps: Deps, uow: UnitOfWork, channel: Channel) -> Question:
    """A question for the whole channel from its topics, the least asked there first."""
    pool = selection.eligible(await uow.questions.all(), channel.settings.topics)
    question = selection.pick_for_channel(pool, await uow.rounds.times_asked(channel.id),
                                          deps.rng)
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
        question = await pick_for_channel(deps, uow, channel)
        round_ = await uow.rounds.add(Round(
            id=0, workspace_id=workspace.id, channel_id=channel.id, question_id=question.id,
            kind=RoundKind.POP, opened_at=now, closes_at=now + channel.settings.pop_window,
            seed=deps.rng.getrandbits(31)))
        # The round and its post commit together: the question reaches the channel even if
        # this process stops right after answering the command.
        await uow.deliveries.add(Delivery(0, workspace.id, channel.id, DeliveryKind.QUESTION,
                                          now, round_id=round_.id))
        view = question_view(round_, question, (await _topic_titles(uow)).get(question.topic, ""),
                             channel.settings.zone)
        await uow.commit()
    deps.wake_deliverer()
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
        pool = selection.eligible(await uow.questions.all(),
                                  frozenset({topic}) if topic else frozenset())
        history = await uow.answers.practice_history(member.id)
        question = selection.pick_for_practice(pool, history, deps.rng)
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
