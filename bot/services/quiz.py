"""One entry for every platform: `/quiz …` text and button clicks become use cases."""

from __future__ import annotations

from bot.domain import commands as c
from bot.domain.model import Where, Who
from bot.domain.views import (
    ExamQuestion,
    ExamResult,
    HelpView,
    Notice,
    Receipt,
    TopicsView,
    Verdict,
    View,
)
from bot.services import answering, asking, exam, reports, review, settings, standings
from bot.services.deps import Deps
from bot.services.tenancy import resolve

HELP = [
    ("/quiz", "a pop quiz for the channel (on Discord: /quiz now)"),
    ("/quiz me [topic]", "a private practice question: due reviews first, then new ones"),
    ("/quiz leaderboard [week|all] [channels]", "standings, e.g. /quiz leaderboard all"),
    ("/quiz review", "ask again the questions you got wrong, latest first"),
    ("/quiz exam [size|full]", "a private timed mock exam: 20 questions, or full (65, 130 min)"),
    ("/quiz exam stop", "end your mock exam now and see the score"),
    ("/quiz stats [@user]", "exam readiness by domain, reviews due, accuracy by topic, streak"),
    ("/quiz topics", "the topics and how many questions each has"),
    ("/quiz settings", "this channel's schedule and rules"),
    ("/quiz daily 09:30 Europe/Berlin mon-fri", "admins: the daily question (or: daily off)"),
    ("/quiz weekly fri 16:00", "admins: the weekly leaderboard post (or: weekly off)"),
    ("/quiz window 8h", "admins: how long daily questions stay open (window pop 10m)"),
    ("/quiz only lambda,dynamodb", "admins: limit the topics (only all to undo)"),
]


async def handle(deps: Deps, where: Where, who: Who, text: str) -> View:
    """Run one `/quiz` command; QuizError carries a message for the user."""
    command = c.parse(text)
    match command:
        case c.AskPop():
            return await asking.ask_pop(deps, where, who)
        case c.Practice(topic):
            return await asking.ask_practice(deps, where, who, topic)
        case c.ShowLeaderboard(period, squads):
            return await standings.show_board(deps, where, who, period, squads)
        case c.ShowStats(target):
            return await standings.member_stats(deps, where, who, target)
        case c.Review():
            return await review.ask_review(deps, where, who)
        case c.TakeExam(size):
            return await exam.start_exam(deps, where, who, size)
        case c.StopExam():
            return await exam.stop_exam(deps, where, who)
        case c.ShowTopics():
            return await topics(deps, where, who)
        case c.ShowHelp():
            return HelpView(HELP)
        case c.ShowSettings():
            return await settings.show_settings(deps, where, who)
        case c.SetDaily() | c.DailyOff() | c.SetWeekly() | c.SetWindow() | c.SetTopics():
            return await settings.change_settings(deps, where, who, command)


async def answer(deps: Deps, where: Where, who: Who, round_id: int,
                 letters: str) -> Receipt | Verdict:
    """A button click or a typed answer: the same call from every platform."""
    return await answering.submit_answer(deps, where, who, round_id, letters)


async def report(deps: Deps, where: Where, who: Who, round_id: int, reason: str) -> Notice:
    """"Report a problem" with a round's question, from any platform: the same call."""
    return await reports.report_problem(deps, where, who, round_id, reason)


async def answer_exam(deps: Deps, where: Where, who: Who, exam_id: int, number: int,
                      letters: str) -> ExamQuestion | ExamResult:
    """An answer to a mock exam's question, from any platform: the next one or the result."""
    return await exam.answer_exam(deps, where, who, exam_id, number, letters)


async def topics(deps: Deps, where: Where, who: Who) -> TopicsView:
    """The bank's topics with counts, and the channel's selection."""
    async with deps.uow() as uow:
        _, channel, _ = await resolve(uow, where, who)
        listed = await uow.questions.topics()
        await uow.commit()
    return TopicsView([(t.slug, t.title, t.count) for t in listed], channel.settings.topics)
