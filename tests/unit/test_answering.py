"""Refusals of a click on the fakes, word for word: a second answer, a closed round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.errors import (
    AlreadyAnswered,
    NotAllowed,
    QuizError,
    RoundClosed,
    UnknownRound,
    UnknownWorkspace,
)
from bot.domain.model import RoundKind, Where, Who
from bot.domain.ports import Answering, Score
from bot.domain.scoring import ScoringRules
from bot.domain.views import PopPosted, QuestionView, Receipt, Verdict
from bot.services import quiz
from bot.services.bank import sync_bank
from bot.services.deps import Deps
from bot.services.due import run_due
from bot.services.refusals import LARGEST_ID
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS, right_letters, wrong_letters
from tests.unit.fake_deps import deps_on, hold_back
from tests.unit.fakes import FakeAnswerBook, FakeLeaderboard, Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ANN = Who("U1", "ann")
START = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


class RememberingBook(FakeAnswerBook):
    """Answers a round's later reads from its first one, as the PostgreSQL book does for a
    pop quiz, unless asked for a fresh read."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.known: dict[int, Answering] = {}

    async def answering(self, round_id: int, platform: str, workspace: str, member: str, *,
                        fresh: bool = False) -> Answering | None:
        if not fresh and round_id in self.known:
            return self.known[round_id]
        found = await super().answering(round_id, platform, workspace, member)
        if found is not None:
            self.known.setdefault(round_id, found)
        return found


async def _pop(deps: Deps) -> PopPosted:
    posted = await quiz.handle(deps, HERE, Who("U0", "host"), "now")
    assert isinstance(posted, PopPosted)
    return posted


async def test_a_second_click_read_from_memory_names_the_stored_first_answer() -> None:
    store = Store()
    deps = await deps_on(store, START)
    deps.answers = RememberingBook(store)
    posted = await _pop(deps)
    first = right_letters(posted.question)
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, first)
    with pytest.raises(AlreadyAnswered) as refused:
        await quiz.answer(deps, HERE, ANN, posted.question.round_id, first)
    assert str(refused.value) == f"You already answered {first}; the first answer counts."


async def test_a_click_after_the_close_read_from_memory_still_names_the_first_answer() -> None:
    store, clock = Store(), FrozenClock(START)
    deps = await deps_on(store, clock)
    deps.answers = RememberingBook(store)
    posted = await _pop(deps)
    first = right_letters(posted.question)
    # The book keeps its read of the round from before ann was a member.
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, first)
    clock.advance(timedelta(minutes=11))  # the round closes
    with pytest.raises(AlreadyAnswered) as refused:
        await quiz.answer(deps, HERE, ANN, posted.question.round_id, first)
    assert str(refused.value) == f"You already answered {first}; the first answer counts."


async def test_a_click_on_a_retired_question_scores_nothing() -> None:
    store = Store()
    deps = await deps_on(store, START)
    posted = await _pop(deps)
    await sync_bank(deps.uow, SAMPLE_TOPICS, [(q, q.id) for q in SAMPLE_QUESTIONS
                                              if q.text != posted.question.text])
    with pytest.raises(RoundClosed) as refused:
        await quiz.answer(deps, HERE, ANN, posted.question.round_id,
                          right_letters(posted.question))
    assert str(refused.value) == "That question has been retired, so it scores nothing."
    assert store.answers == {}


async def test_a_click_on_a_round_closed_another_day_names_the_day_it_closed() -> None:
    clock = FrozenClock(START)
    deps = await deps_on(Store(), clock)
    posted = await _pop(deps)
    clock.advance(timedelta(days=1))
    with pytest.raises(RoundClosed) as refused:
        await quiz.answer(deps, HERE, ANN, posted.question.round_id,
                          right_letters(posted.question))
    assert str(refused.value) == ("This question closed at Fri 26 Mar 09:10; the answer is "
                                  "revealed in the channel.")


async def test_a_round_id_outside_the_bigint_range_is_refused_before_anything_is_read(
        ) -> None:
    deps = await deps_on(Store(), START)
    nowhere = Where("slack", "T404", "C1")  # no workspace to find: a read would say so
    for outside in (-1, 0, LARGEST_ID + 1):
        with pytest.raises(UnknownRound):
            await quiz.answer(deps, nowhere, ANN, outside, "a")
    with pytest.raises(UnknownWorkspace):  # the largest id could name a round: it is read
        await quiz.answer(deps, nowhere, ANN, LARGEST_ID, "a")


async def test_a_member_who_has_played_cannot_answer_someone_else_s_practice_question(
        ) -> None:
    deps = await deps_on(Store(), START)
    bob = Who("U2", "bob")
    await quiz.handle(deps, HERE, bob, "topics")  # bob is a member of the workspace
    practice = await quiz.handle(deps, HERE, ANN, "me")
    assert isinstance(practice, QuestionView)
    with pytest.raises(NotAllowed) as refused:
        await quiz.answer(deps, HERE, bob, practice.round_id, right_letters(practice))
    assert str(refused.value) == "That practice question is someone else's. Try `/quiz me`."


async def test_practice_scores_until_the_daily_cap_and_the_day_is_the_channel_s(
        ) -> None:
    clock = FrozenClock(START)  # 18:00 in Tokyo
    deps = await deps_on(Store(), clock)
    await quiz.handle(deps, HERE, Who("A1", "ada", is_admin=True), "daily 09:00 Asia/Tokyo")
    cap = deps.rules.practice_daily_cap

    async def practise() -> Verdict:
        clock.advance(timedelta(minutes=1))
        practice = await quiz.handle(deps, HERE, ANN, "me")
        assert isinstance(practice, QuestionView)
        verdict = await quiz.answer(deps, HERE, ANN, practice.round_id, right_letters(practice))
        assert isinstance(verdict, Verdict)
        return verdict

    # Today, then from 00:30 in Tokyo: a new day there, still the same day in UTC.
    for day_starts in (START, datetime(2027, 3, 26, 15, 30, tzinfo=UTC)):
        clock.set(day_starts)
        scored = [(v.points, v.capped) for v in [await practise() for _ in range(cap + 1)]]
        assert scored == [(1, False)] * cap + [(0, True)]


async def test_the_leaderboard_hears_who_scored_what_where_and_when_once_per_answer(
        ) -> None:
    store, leaderboard = Store(), FakeLeaderboard()
    clock = FrozenClock(START)
    deps = await deps_on(store, clock, leaderboard)
    posted = await _pop(deps)
    clock.advance(timedelta(minutes=1))
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))
    practice = await quiz.handle(deps, HERE, ANN, "me")
    assert isinstance(practice, QuestionView)
    await quiz.answer(deps, HERE, ANN, practice.round_id, right_letters(practice))
    [ann] = [m for m in store.members.values() if m.external_id == ANN.external_id]
    [channel] = store.channels.values()
    answer_ids = sorted(store.answer_ids[(r, ann.id)] for r in (posted.question.round_id,
                                                                practice.round_id))
    assert leaderboard.scores == [
        Score(ann.workspace_id, channel.id, ann.id, "ann", 5, clock.now(), squad=True,
              answer_id=answer_ids[0]),
        Score(ann.workspace_id, channel.id, ann.id, "ann", 1, clock.now(), squad=False,
              answer_id=answer_ids[1])]


async def test_a_practice_verdict_shows_the_question_as_the_channel_shows_it() -> None:
    deps = await deps_on(Store(), START)
    await quiz.handle(deps, HERE, Who("A1", "ada", is_admin=True), "daily 09:00 Asia/Tokyo")
    practice = await quiz.handle(deps, HERE, ANN, "me lambda")
    assert isinstance(practice, QuestionView)
    letters = right_letters(practice)
    verdict = await quiz.answer(deps, HERE, ANN, practice.round_id, letters)
    assert isinstance(verdict, Verdict)
    assert (verdict.question, verdict.letters, verdict.correct_letters) == (
        practice, letters, letters)
    assert (verdict.correct, verdict.points) == (True, 1)
    assert verdict.explanation.startswith("Because of lambda-")


async def test_a_pop_answer_s_receipt_names_the_letters_and_the_close_in_the_channel_s_zone(
        ) -> None:
    clock = FrozenClock(START)
    deps = await deps_on(Store(), clock)
    await quiz.handle(deps, HERE, Who("A1", "ada", is_admin=True), "daily 09:00 Asia/Tokyo")
    posted = await _pop(deps)
    clock.advance(timedelta(minutes=1))
    letters = right_letters(posted.question)
    receipt = await quiz.answer(deps, HERE, ANN, posted.question.round_id, letters)
    assert receipt == Receipt(letters, START + timedelta(minutes=10), "Asia/Tokyo",
                              RoundKind.POP, clock.now())


@pytest.mark.parametrize(("kept", "too_many", "hints"), [
    ("dynamodb-a", "a,b", ("There is no choice X, Z: pick from A–D.",
                           "This question takes one choice, like `a`.")),
    ("lambda-multi", "a", ("There is no choice X, Z: pick from A–E.",
                           "This question takes 2 choices, like `a,b`.")),
])
async def test_a_click_with_letters_the_question_cannot_take_is_told_how_to_answer(
        kept: str, too_many: str, hints: tuple[str, str]) -> None:
    deps = await deps_on(Store(), START)
    await quiz.handle(deps, HERE, ANN, "topics")
    await hold_back(deps, "slack", "T1", [q.id for q in SAMPLE_QUESTIONS if q.id != kept], START)
    practice = await quiz.handle(deps, HERE, ANN, "me")
    assert isinstance(practice, QuestionView)
    told = []
    for letters in ("x,z", too_many):
        with pytest.raises(QuizError) as refused:
            await quiz.answer(deps, HERE, ANN, practice.round_id, letters)
        told.append(str(refused.value))
    assert tuple(told) == hints


async def test_each_daily_answer_stores_the_streak_it_makes_and_scores_its_bonus() -> None:
    store, clock = Store(), FrozenClock(START)
    deps = await deps_on(store, clock)
    await quiz.handle(deps, HERE, Who("A1", "ada", is_admin=True), "daily 09:30 UTC daily")
    made = []
    for day, right in enumerate([True, True, False, True, True]):
        clock.set(datetime(2027, 3, 26, 9, 35, tzinfo=UTC) + timedelta(days=day))
        [daily] = (await run_due(deps)).questions
        letters = right_letters(daily) if right else wrong_letters(daily)
        await quiz.answer(deps, HERE, ANN, daily.round_id, letters)
        [ann] = [m for m in store.members.values() if m.external_id == ANN.external_id]
        answer = store.answers[(daily.round_id, ann.id)]
        made.append((answer.points, answer.streak))
    assert made == [(10, 1), (11, 2), (0, 0), (10, 1), (11, 2)]


async def test_answers_score_the_points_the_deployment_sets() -> None:
    deps = await deps_on(Store(), START)
    deps.rules = ScoringRules(pop=7)
    posted = await _pop(deps)
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))
    async with deps.uow() as uow:
        [(answer, _)] = await uow.answers.for_round(posted.question.round_id)
    assert (answer.points, answer.streak) == (7, 0)  # only daily answers make a streak
