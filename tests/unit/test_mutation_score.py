"""The mutation score is counted per folder, with untested mutants counted against it."""

from __future__ import annotations

from tests.mutation_score import report, tally

RESULTS = """\
    bot.domain.schedule.x_plan__mutmut_1: killed
    bot.domain.schedule.x_plan__mutmut_2: survived
    bot.domain.memory.xǁMemoryǁis_due__mutmut_1: timeout
    bot.services.home.x_member_home__mutmut_1: no tests
    bot.services.quiz.x_handle__mutmut_7: killed
"""


def test_killed_and_timed_out_mutants_are_caught_and_the_rest_are_not() -> None:
    assert report(tally(RESULTS.splitlines())) == [
        "bot/domain: 2 of 3 caught (66.7 %); 1 survived",
        "bot/services: 1 of 2 caught (50.0 %); 1 no tests",
        "all: 3 of 5 caught (60.0 %); 1 no tests, 1 survived",
    ]


def test_lines_that_name_no_mutant_are_left_out() -> None:
    assert tally(["Saved CI/CD stats", "", "bot.domain: nothing"]) == {}
