"""A mock exam in the terminal: one question at a time, no feedback, then the score; it
survives a restart of the bot."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.answer_book import SqlAnswerBook
from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_sessions
from bot.adapters.question_files import content_hash
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.domain.model import Difficulty, ExamDomain, Question
from bot.platforms.terminal import TerminalChat, TerminalPoster
from bot.services.bank import sync_bank
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS

EXTRA = Question("dynamodb-c", "dynamodb", ExamDomain.SECURITY, Difficulty.EASY,
                 "Question dynamodb-c?", ("red", "green", "blue"), frozenset({1}),
                 "Because of dynamodb-c.")
BANK = [*SAMPLE_QUESTIONS, EXTRA]


@pytest.fixture
async def five(chat: TerminalChat) -> TerminalChat:
    """The terminal chat with a fifth question in the bank."""
    await sync_bank(chat.deps.uow, SAMPLE_TOPICS, [(q, content_hash(q)) for q in BANK])
    return chat


def answer_for(shown: str, right: bool) -> str:
    """Read the exam question off the screen and pick the right (or a wrong) letters."""
    question = next(q for q in BANK if q.text in shown)
    right_texts = {question.choices[i] for i in question.answer}
    lines = [line.strip() for line in shown.splitlines() if line.strip()[1:3] == ") "]
    picked = [line[0] for line in lines if (line[3:] in right_texts) == right]
    return ",".join(picked[: len(question.answer)])


def question_of(shown: str) -> Question:
    return next(q for q in BANK if q.text in shown)


async def test_a_five_question_mock_exam_from_start_to_score(five: TerminalChat) -> None:
    shown = await five.say("/quiz exam 5")
    assert "📝 Mock exam · question 1 of 5 · 10 min left" in shown
    missed = None
    for number in range(1, 6):
        assert f"question {number} of 5" in shown
        right = number != 2
        if not right:
            missed = question_of(shown)
        shown = await five.say(answer_for(shown, right))
        assert "✅" not in shown and "❌" not in shown  # no feedback until the end
    assert missed is not None
    assert "📝 Mock exam finished. 4 of 5 right (80%): estimated score" in shown
    assert "By domain:" in shown and "Security" in shown
    assert f"  2. {missed.text}" in shown and missed.explanation in shown
    assert "Missed:" in shown and shown.count("you said") == 1
    # The next bare answer is an ordinary one again.
    assert "There is no question to answer here yet" in await five.say("a")


async def test_the_exam_resumes_where_the_member_was_after_a_restart(
        five: TerminalChat, engine: AsyncEngine, clock: FrozenClock) -> None:
    shown = await five.say("/quiz exam 5")
    shown = await five.say(answer_for(shown, right=True))
    second = question_of(shown)
    assert "question 2 of 5" in shown

    sessions = make_sessions(engine)  # a new process: nothing kept in memory
    poster = TerminalPoster()
    restarted = TerminalChat(Deps(uow=SqlUnitOfWorkFactory(sessions),
                                  answers=SqlAnswerBook(engine), clock=clock,
                                  leaderboard=SqlLeaderboard(sessions), poster=poster,
                                  rng=random.Random(9)), poster, clock, user="alice")
    clock.advance(timedelta(minutes=3))
    again = await restarted.say("/quiz exam")
    assert "question 2 of 5 · 7 min left (where you left off)" in again
    assert second.text in again
    for _ in range(4):
        again = await restarted.say(answer_for(again, right=True))
    assert "5 of 5 right (100%): estimated score 1000 of 1000, above the 720 pass mark" in again


async def test_when_the_time_runs_out_the_rest_count_as_wrong(
        five: TerminalChat, clock: FrozenClock) -> None:
    shown = await five.say("/quiz exam 5")
    await five.say(answer_for(shown, right=True))
    clock.advance(timedelta(minutes=11))
    result = await five.say("a")
    assert "1 of 5 right (20%)" in result
    assert "⏰ Time ran out after 1 answer; the rest count as wrong." in result
    assert result.count("not answered") == 4


async def test_exam_sizes_are_checked(five: TerminalChat) -> None:
    assert "Use `/quiz exam [size|full]`" in await five.say("/quiz exam 99")


async def test_stopping_an_exam_scores_it_at_once(five: TerminalChat) -> None:
    assert "You have no mock exam running" in await five.say("/quiz exam stop")
    shown = await five.say("/quiz exam 5")
    await five.say(answer_for(shown, right=True))
    result = await five.say("/quiz exam stop")
    assert "1 of 5 right (20%)" in result
    assert "⏹ Stopped after 1 answer; the rest count as wrong." in result
    assert "question 1 of 5" in await five.say("/quiz exam 5")  # a fresh one


async def test_mock_exam_answers_count_towards_readiness(five: TerminalChat) -> None:
    shown = await five.say("/quiz exam 5")
    for _ in range(5):
        shown = await five.say(answer_for(shown, right=True))
    stats = await five.say("/quiz stats")
    assert "Security                          100% (34%–100%) · 2 answers" in stats
