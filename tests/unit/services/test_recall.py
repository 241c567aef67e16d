"""The spaced-repetition services on the fakes: answers taken in, exam answers scheduled after
the clicks before them, tallies per domain, practice leaning to the weakest, reviews due today."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.exam import Exam
from bot.domain.memory import remember
from bot.domain.model import ExamDomain, Member, Where, Who
from bot.domain.views import PopPosted
from bot.services import quiz, recall
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS, right_letters, wrong_letters
from tests.unit.fake_deps import START, hold_back
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ANN = Who("U1", "ann")
BY_ID = {q.id: q for q in SAMPLE_QUESTIONS}
ONLY = BY_ID["dynamodb-a"]  # the one question the channel asks in these tests


@pytest.fixture
async def deps(deps: Deps) -> Deps:
    """The fakes' deps, with Ann signed up and every sample question but ONLY held back."""
    await quiz.handle(deps, HERE, ANN, "topics")
    await hold_back(deps, "slack", "T1", [q.id for q in SAMPLE_QUESTIONS if q != ONLY], START)
    return deps


@pytest.fixture
def ann(deps: Deps, store: Store) -> Member:
    [member] = store.members.values()
    return member


async def _click(deps: Deps, clock: FrozenClock, right: bool) -> None:
    posted = await quiz.handle(deps, HERE, ANN, "now")
    assert isinstance(posted, PopPosted) and posted.question.text == ONLY.text
    letters = right_letters if right else wrong_letters
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, letters(posted.question))
    clock.advance(timedelta(minutes=11))  # the pop quiz's window is over


def _exam(member: Member, answered: Sequence[tuple[str, frozenset[int] | None]]) -> Exam:
    return Exam(0, member.workspace_id, member.id, tuple(qid for qid, _ in answered),
                tuple(picked for _, picked in answered), 1, START, START)


async def test_a_later_click_builds_on_the_memory_of_the_earlier_one(
        deps: Deps, clock: FrozenClock, ann: Member) -> None:
    for _ in range(2):
        await _click(deps, clock, right=True)
        async with deps.uow() as uow:
            [memory] = await recall.memories(uow, ann.id)
            await uow.commit()
    assert memory.reviews == 2


async def test_an_exam_s_answer_is_scheduled_after_the_clicks_stored_before_it(
        deps: Deps, clock: FrozenClock, ann: Member) -> None:
    await _click(deps, clock, right=True)
    wrong_at, right_at = clock.now(), clock.now() + timedelta(minutes=1)
    async with deps.uow() as uow:
        await recall.record_answer(uow, ann.workspace_id, ann.id, ONLY.id, False, wrong_at)
        [after_wrong] = await uow.memories.of_member(ann.id)
        await recall.record_answer(uow, ann.workspace_id, ann.id, ONLY.id, True, right_at)
        [after_right] = await uow.memories.of_member(ann.id)
    assert (after_wrong.reviews, after_wrong.missed_at) == (2, wrong_at)
    assert (after_right.reviews, after_right.missed_at) == (3, None)


async def test_tallies_count_every_click_and_answered_exam_question_but_no_unanswered_one(
        deps: Deps, clock: FrozenClock, store: Store, ann: Member) -> None:
    for right in (True, True, False):
        await _click(deps, clock, right)
    deployment, troubleshooting = BY_ID["lambda-a"], BY_ID["dynamodb-b"]
    store.exams[1] = _exam(ann, [(deployment.id, deployment.answer),
                                 (deployment.id, frozenset({0})), (troubleshooting.id, None)])
    async with deps.uow() as uow:
        tallies = await recall.domain_tallies(uow, ann.id)
    assert tallies == {ONLY.domain: (2, 3), ExamDomain.DEPLOYMENT: (1, 2)}


async def test_new_practice_questions_lean_towards_the_weakest_domain(
        deps: Deps, store: Store, ann: Member) -> None:
    weak = BY_ID["dynamodb-b"]
    answered = [(q.id, q.answer if q != weak else frozenset({1}))
                for q in SAMPLE_QUESTIONS for _ in range(20)]
    store.exams[1] = _exam(ann, answered)  # right everywhere but in troubleshooting
    picks: Counter[ExamDomain] = Counter()
    async with deps.uow() as uow:
        for _ in range(60):
            picked = await recall.next_question(uow, ann.id, SAMPLE_QUESTIONS, START, deps.rng)
            assert picked is not None
            picks[picked.domain] += 1
    assert weak.domain == ExamDomain.TROUBLESHOOTING
    assert picks.most_common(1)[0][0] == weak.domain and picks[weak.domain] > 60 / 3


async def test_reviews_due_today_end_at_midnight_of_the_channel_s_zone(
        deps: Deps, store: Store, ann: Member) -> None:
    now = datetime(2027, 3, 26, 20, 0, tzinfo=UTC)  # already Saturday 05:00 in Tokyo
    midnight = datetime(2027, 3, 27, 15, 0, tzinfo=UTC)  # Sunday 00:00 in Tokyo
    dues = [now + timedelta(hours=1), midnight, midnight + timedelta(minutes=1),
            midnight + timedelta(hours=19)]
    for question, due in zip(SAMPLE_QUESTIONS, dues, strict=True):
        memory = remember(None, ann.id, question.id, True, START)
        store.memories[(ann.id, question.id)] = replace(memory, due=due)
    async with deps.uow() as uow:
        assert await recall.due_today(uow, ann.id, now, "Asia/Tokyo") == 2
