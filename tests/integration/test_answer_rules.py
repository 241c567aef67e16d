"""The rules an answer is held to, each named, on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.adapters.clock import FrozenClock
from bot.domain.errors import OtherWorkspace, QuizError, UnknownRound, UnknownWorkspace
from bot.domain.model import Presentation, Round, RoundKind, Where, Who
from bot.domain.views import PopPosted, Receipt
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.tenancy import resolve
from tests.sample import SAMPLE_QUESTIONS, right_letters

ACME = Where("slack", "T1", "C1", "Acme", "general")
GLOBEX = Where("slack", "T2", "C9", "Globex", "random")
ALICE = Who("U1", "alice")
BOB = Who("U2", "bob")
MULTI = next(q for q in SAMPLE_QUESTIONS if q.multi)


async def pop(deps: Deps, where: Where) -> PopPosted:
    view = await quiz.handle(deps, where, ALICE, "now")
    assert isinstance(view, PopPosted)
    return view


async def open_round(deps: Deps, question_id: str, kind: RoundKind, *, hours: float,
                     local_date: date | None = None) -> Round:
    """A round opened now in ACME's channel, open for the given hours."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        workspace, channel, _ = await resolve(uow, ACME)
        round_ = await uow.rounds.add(Round(0, workspace.id, channel.id, question_id, kind, now,
                                            now + timedelta(hours=hours), seed=11,
                                            local_date=local_date))
        await uow.commit()
    return round_


async def stored_answers(deps: Deps, round_id: int) -> int:
    async with deps.uow() as uow:
        return len(await uow.answers.for_round(round_id))


async def test_a_round_answers_only_in_its_own_workspace(deps: Deps) -> None:
    acme_round = (await pop(deps, ACME)).question
    globex_round = (await pop(deps, GLOBEX)).question  # the other tenant exists for real
    with pytest.raises(OtherWorkspace, match="isn't from this workspace"):
        await quiz.answer(deps, GLOBEX, BOB, acme_round.round_id, right_letters(acme_round))
    assert await stored_answers(deps, acme_round.round_id) == 0
    # The same person, the same kind of click, in their own workspace: it counts.
    receipt = await quiz.answer(deps, GLOBEX, BOB, globex_round.round_id,
                                right_letters(globex_round))
    assert isinstance(receipt, Receipt)
    assert await stored_answers(deps, globex_round.round_id) == 1


async def test_a_round_id_that_names_no_round_is_unknown_not_another_workspaces(
        deps: Deps) -> None:
    posted = (await pop(deps, ACME)).question
    for missing in (posted.round_id + 1000, 2**63, 0):
        with pytest.raises(UnknownRound, match="doesn't exist"):
            await quiz.answer(deps, ACME, ALICE, missing, "a")


async def test_a_click_from_a_workspace_never_set_up_is_told_so(deps: Deps) -> None:
    posted = (await pop(deps, ACME)).question
    nowhere = Where("slack", "T404", "C1", "Nowhere", "general")
    with pytest.raises(UnknownWorkspace, match="no quiz yet"):
        await quiz.answer(deps, nowhere, BOB, posted.round_id, right_letters(posted))
    assert await stored_answers(deps, posted.round_id) == 0


@pytest.mark.parametrize("picks", [1, 3])
async def test_a_choose_two_question_refuses_any_other_number_of_picks(
        deps: Deps, picks: int) -> None:
    round_ = await open_round(deps, MULTI.id, RoundKind.POP, hours=1)
    shown = Presentation.shuffled(MULTI, round_.seed)
    letters = (shown.correct_letters + shown.letters)[:picks]
    with pytest.raises(QuizError, match="takes 2 choices"):
        await quiz.answer(deps, ACME, ALICE, round_.id, letters)
    assert await stored_answers(deps, round_.id) == 0
    receipt = await quiz.answer(deps, ACME, ALICE, round_.id, shown.correct_letters)
    assert isinstance(receipt, Receipt)


async def test_a_choose_two_question_is_right_only_with_exactly_the_right_pair(
        deps: Deps) -> None:
    round_ = await open_round(deps, MULTI.id, RoundKind.POP, hours=1)
    shown = Presentation.shuffled(MULTI, round_.seed)
    half_right = shown.correct_letters[0] + next(
        letter for letter in shown.letters if letter not in shown.correct_letters)
    await quiz.answer(deps, ACME, ALICE, round_.id, half_right)
    await quiz.answer(deps, ACME, BOB, round_.id, shown.correct_letters)
    async with deps.uow() as uow:
        scored = {m.display_name: (a.correct, a.points)
                  for a, m in await uow.answers.for_round(round_.id)}
    assert scored == {"alice": (False, 0), "bob": (True, 5)}


async def test_an_open_unanswered_daily_round_does_not_end_a_streak(
        deps: Deps, clock: FrozenClock) -> None:
    questions = [q for q in SAMPLE_QUESTIONS if not q.multi]
    first = await open_round(deps, questions[0].id, RoundKind.DAILY, hours=1,
                             local_date=date(2027, 3, 24))
    await quiz.answer(deps, ACME, ALICE, first.id,
                      Presentation.shuffled(questions[0], first.seed).correct_letters)
    # Yesterday's round is still open (a long window) and Alice has not answered it yet.
    await open_round(deps, questions[1].id, RoundKind.DAILY, hours=48,
                     local_date=date(2027, 3, 25))
    today = await open_round(deps, questions[2].id, RoundKind.DAILY, hours=1,
                             local_date=date(2027, 3, 26))
    await quiz.answer(deps, ACME, ALICE, today.id,
                      Presentation.shuffled(questions[2], today.seed).correct_letters)
    async with deps.uow() as uow:
        [(answer, _)] = await uow.answers.for_round(today.id)
    assert (answer.streak, answer.points) == (2, 11)  # the streak of one before still counts


async def test_a_missed_daily_round_ends_a_streak(deps: Deps, clock: FrozenClock) -> None:
    questions = [q for q in SAMPLE_QUESTIONS if not q.multi]
    first = await open_round(deps, questions[0].id, RoundKind.DAILY, hours=1,
                             local_date=date(2027, 3, 24))
    await quiz.answer(deps, ACME, ALICE, first.id,
                      Presentation.shuffled(questions[0], first.seed).correct_letters)
    await open_round(deps, questions[1].id, RoundKind.DAILY, hours=1,
                     local_date=date(2027, 3, 25))
    clock.advance(timedelta(hours=2))  # that round closed unanswered
    today = await open_round(deps, questions[2].id, RoundKind.DAILY, hours=1,
                             local_date=date(2027, 3, 26))
    await quiz.answer(deps, ACME, ALICE, today.id,
                      Presentation.shuffled(questions[2], today.seed).correct_letters)
    async with deps.uow() as uow:
        [(answer, _)] = await uow.answers.for_round(today.id)
    assert (answer.streak, answer.points) == (1, 10)


@pytest.mark.parametrize(("wrong_days_ago", "streak"), [(None, 12), (10, 9), (8, 7)])
async def test_a_streak_counts_every_day_in_a_row_however_long_it_runs(
        deps: Deps, clock: FrozenClock, wrong_days_ago: int | None, streak: int) -> None:
    """Twelve days of daily rounds, right every day but one (`wrong_days_ago` days ago): the
    streak before today counts back to that day, past the first few rounds read."""
    question = next(q for q in SAMPLE_QUESTIONS if not q.multi)
    today = date(2027, 3, 26)
    for days_ago in range(12, 0, -1):
        round_ = await open_round(deps, question.id, RoundKind.DAILY, hours=1,
                                  local_date=today - timedelta(days=days_ago))
        shown = Presentation.shuffled(question, round_.seed)
        right = days_ago != wrong_days_ago
        letters = shown.correct_letters if right else next(
            letter for letter in shown.letters if letter not in shown.correct_letters)
        await quiz.answer(deps, ACME, ALICE, round_.id, letters)
    last = await open_round(deps, question.id, RoundKind.DAILY, hours=1, local_date=today)
    await quiz.answer(deps, ACME, ALICE, last.id,
                      Presentation.shuffled(question, last.seed).correct_letters)
    async with deps.uow() as uow:
        [(answer, _)] = await uow.answers.for_round(last.id)
    assert answer.streak == streak + 1
