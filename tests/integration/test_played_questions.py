"""Answer counts per question, read from a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.database import make_sessions
from bot.adapters.question_files import content_hash
from bot.adapters.sql_play import played_questions
from bot.domain.calibration import Played, misjudged
from bot.domain.model import Difficulty, Question, Where, Who
from bot.domain.views import PopPosted, QuestionView
from bot.services import quiz
from bot.services.bank import sync_bank
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS, right_letters, wrong_letters

HERE = Where("slack", "T1", "C1", "Acme", "general")


async def pop_answered(deps: Deps, where: Where, right: int, wrong: int) -> Question:
    """A pop quiz in `where` answered right by `right` members and wrong by `wrong`."""
    view = await quiz.handle(deps, where, Who("U0", "asker"), "now")
    assert isinstance(view, PopPosted)
    posted: QuestionView = view.question
    for n in range(right + wrong):
        letters = right_letters(posted) if n < right else wrong_letters(posted)
        await quiz.answer(deps, where, Who(f"U{n + 1}", f"member {n + 1}"), posted.round_id,
                          letters)
    return next(q for q in SAMPLE_QUESTIONS if q.text == posted.text)


async def played(engine: AsyncEngine) -> dict[str, Played]:
    async with make_sessions(engine)() as session:
        return {p.question_id: p for p in await played_questions(session)}


async def test_each_live_question_shows_its_answers_and_right_answers(
        deps: Deps, engine: AsyncEngine) -> None:
    asked = await pop_answered(deps, HERE, right=1, wrong=2)
    stats = await played(engine)
    assert set(stats) == {q.id for q in SAMPLE_QUESTIONS}
    assert (stats[asked.id].answers, stats[asked.id].right) == (3, 1)
    assert sum(p.answers for p in stats.values()) == 3


async def test_answers_from_every_workspace_are_summed(deps: Deps, engine: AsyncEngine) -> None:
    first = await pop_answered(deps, HERE, right=2, wrong=0)
    elsewhere = Where("discord", "G1", "C7", "Other", "quiz")
    second = await pop_answered(deps, elsewhere, right=0, wrong=1)
    expected: Counter[tuple[str, str]] = Counter()
    expected[first.id, "answers"] += 2
    expected[first.id, "right"] += 2
    expected[second.id, "answers"] += 1
    stats = await played(engine)
    for qid in (first.id, second.id):
        assert (stats[qid].answers, stats[qid].right) == \
            (expected[qid, "answers"], expected[qid, "right"])


async def test_a_hard_question_most_members_get_right_is_flagged_from_play(
        deps: Deps, engine: AsyncEngine) -> None:
    asked = await pop_answered(deps, HERE, right=10, wrong=2)
    retagged = [replace(q, difficulty=Difficulty.HARD) if q.id == asked.id else q
                for q in SAMPLE_QUESTIONS]
    await sync_bank(deps.uow, SAMPLE_TOPICS, [(q, content_hash(q)) for q in retagged])
    stats = await played(engine)
    assert stats[asked.id].difficulty is Difficulty.HARD
    assert misjudged(stats[asked.id]) == "hard, but most get it right"
    assert [qid for qid, p in stats.items() if misjudged(p)] == [asked.id]


async def test_a_retired_question_is_left_out(deps: Deps, engine: AsyncEngine) -> None:
    asked = await pop_answered(deps, HERE, right=1, wrong=0)
    kept = [q for q in SAMPLE_QUESTIONS if q.id != asked.id]
    await sync_bank(deps.uow, SAMPLE_TOPICS, [(q, content_hash(q)) for q in kept])
    assert asked.id not in await played(engine)
