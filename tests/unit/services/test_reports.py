"""Reporting a problem: stored with its reason; three members hold a question back."""

from __future__ import annotations

import pytest

from bot.domain.errors import NotAllowed, QuizError
from bot.domain.model import Where, Who
from bot.domain.reports import Report, held_back, one_line, summarize
from bot.domain.views import PopPosted, QuestionView
from bot.services import quiz, reports
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS
from tests.unit.fake_deps import START
from tests.unit.fakes import Store

HERE = Where("terminal", "local", "general")
ELSEWHERE = Where("slack", "T2", "C9")


def test_a_reason_is_one_line_and_never_empty() -> None:
    assert one_line("  the answer\n should be C ") == "the answer should be C"
    with pytest.raises(QuizError) as refused:
        one_line("   ")
    assert str(refused.value) == "Say in a line what is wrong, like `the answer should be C`."


def test_a_reason_of_300_characters_is_kept_and_one_more_is_refused() -> None:
    assert one_line("x" * 300) == "x" * 300
    with pytest.raises(QuizError) as refused:
        one_line("x" * 301)
    assert str(refused.value) == "Keep the reason to one line of 300 characters; it has 301."


def test_three_members_of_one_workspace_hold_a_question_back() -> None:
    two = [Report(1, "q", member, "wrong", START) for member in (1, 2, 2)]
    assert held_back(two) == frozenset()
    assert held_back([*two, Report(1, "q", 3, "wrong", START)]) == {"q"}
    # Three reporters spread over workspaces hold it back in none of them.
    assert held_back([Report(w, "q", w, "wrong", START) for w in (1, 2, 3)]) == frozenset()


def test_the_summary_lists_the_most_reported_question_first() -> None:
    listed = summarize([Report(1, "a", 1, "typo", START), Report(1, "b", 1, "wrong key", START),
                        Report(1, "b", 2, "C is right", START)])
    assert [(s.question_id, s.reporters) for s in listed] == [("b", 2), ("a", 1)]
    assert listed[0].reasons == ["wrong key", "C is right"]


async def _pop(deps: Deps) -> PopPosted:
    await quiz.handle(deps, HERE, Who("root", "root", is_admin=True), "only dynamodb")
    posted = await quiz.handle(deps, HERE, Who("asker", "asker"), "")
    assert isinstance(posted, PopPosted)
    return posted


async def test_a_question_reported_by_three_members_is_not_asked_until_cleared(
        deps: Deps, store: Store) -> None:
    posted = await _pop(deps)
    reported = posted.question.text
    for n, name in enumerate(("ann", "ben", "cat")):
        notice = await quiz.report(deps, HERE, Who(name, name), posted.question.round_id,
                                   f"the key is wrong ({n})")
        assert ("held back" in notice.text) == (name == "cat")
    for _ in range(6):
        practice = await quiz.handle(deps, HERE, Who("dan", "dan"), "me dynamodb")
        assert isinstance(practice, QuestionView) and practice.text != reported
    qid = next(q.id for q in SAMPLE_QUESTIONS if q.text == reported)
    assert await reports.clear_reports(deps, qid) == 3
    assert await reports.open_reports(deps) == []
    seen = set()
    for _ in range(6):
        practice = await quiz.handle(deps, HERE, Who("eve", "eve"), "me dynamodb")
        assert isinstance(practice, QuestionView)
        seen.add(practice.text)
    assert reported in seen


async def test_a_round_of_another_workspace_cannot_be_reported(deps: Deps) -> None:
    posted = await _pop(deps)
    with pytest.raises(NotAllowed):
        await quiz.report(deps, ELSEWHERE, Who("mallory", "mallory"), posted.question.round_id,
                          "spam")


async def test_clearing_an_unknown_question_says_where_to_look(deps: Deps) -> None:
    with pytest.raises(QuizError) as refused:
        await reports.clear_reports(deps, "no-such-question")
    assert str(refused.value) == ("There is no question `no-such-question`. "
                                  "`quizbot questions reports` lists the reported ones.")


async def test_the_report_that_holds_a_question_back_says_so_and_later_ones_do_not(
        deps: Deps, store: Store) -> None:
    posted = await _pop(deps)
    said = [(await quiz.report(deps, HERE, Who(name, name), posted.question.round_id,
                               "the key is wrong")).text
            for name in ("ann", "ben", "cat", "dan")]
    thanks = ("Thanks: your report is in, and the people who keep the question bank will "
              "see it.")
    held = (" 3 people here have reported it, so it is held back from new rounds until they "
            "check it.")
    assert said == [thanks, thanks, thanks + held, thanks]
    assert {report.round_id for report, _ in store.reports} == {posted.question.round_id}


async def test_someone_else_s_practice_question_cannot_be_reported(deps: Deps) -> None:
    practice = await quiz.handle(deps, HERE, Who("ann", "ann"), "me")
    assert isinstance(practice, QuestionView)
    with pytest.raises(NotAllowed) as refused:
        await quiz.report(deps, HERE, Who("ben", "ben"), practice.round_id, "wrong")
    assert str(refused.value) == "That practice question is someone else's."
    notice = await quiz.report(deps, HERE, Who("ann", "ann"), practice.round_id, "wrong")
    assert notice.text.startswith("Thanks")


async def test_a_round_that_does_not_exist_cannot_be_reported(deps: Deps) -> None:
    with pytest.raises(NotAllowed) as refused:
        await quiz.report(deps, HERE, Who("ann", "ann"), 999, "wrong")
    assert str(refused.value) == "There is no question 999 here to report."
