"""Readiness: accuracy per exam domain with an honest interval, and a score only when earned."""

from __future__ import annotations

import pytest

from bot.domain.model import ExamDomain
from bot.domain.readiness import readiness, scaled, weakest, wilson

D, S, P, T = (ExamDomain.DEVELOPMENT, ExamDomain.SECURITY, ExamDomain.DEPLOYMENT,
              ExamDomain.TROUBLESHOOTING)


def test_the_wilson_interval_is_wide_for_few_answers_and_narrow_for_many() -> None:
    few_low, few_high = wilson(4, 5)
    many_low, many_high = wilson(80, 100)
    assert few_low < many_low < 0.8 < many_high < few_high
    assert wilson(80, 100) == pytest.approx((0.711, 0.866), abs=0.001)


def test_nothing_answered_means_anything_is_possible() -> None:
    assert wilson(0, 0) == (0.0, 1.0)


def test_the_score_runs_from_100_to_1000() -> None:
    assert (scaled(0.0), scaled(0.5), scaled(1.0)) == (100, 550, 1000)


def test_with_too_few_answers_in_a_domain_there_is_no_estimate() -> None:
    seen = readiness({D: (20, 25), S: (9, 9), P: (12, 15), T: (10, 12)})
    assert seen.score is None
    assert seen.verdict.startswith("not enough answers yet")
    assert "Security" in seen.verdict and "Deployment" not in seen.verdict


def test_a_domain_with_exactly_enough_answers_is_not_named_as_short() -> None:
    seen = readiness({D: (5, 10), S: (9, 9), P: (12, 15), T: (10, 12)})
    assert seen.verdict == ("not enough answers yet: 10 in each domain are needed (still short: "
                            "Security)")


def test_nothing_answered_at_all_is_not_enough_answers_yet() -> None:
    assert readiness({}).verdict.startswith("not enough answers yet")


def test_a_strong_record_everywhere_is_likely_above_720() -> None:
    seen = readiness({D: (90, 100), S: (85, 100), P: (88, 100), T: (90, 100)})
    assert seen.score is not None and seen.low is not None and seen.low >= 720
    assert seen.verdict == "likely above 720"


def test_a_weak_domain_says_not_yet_and_where_to_focus() -> None:
    seen = readiness({D: (20, 25), S: (3, 12), P: (8, 10), T: (8, 10)})
    assert seen.score is not None and seen.score < 720
    assert seen.verdict == "not yet: focus on Security"


def test_a_score_just_above_the_pass_mark_with_few_answers_is_not_called_safe() -> None:
    seen = readiness({D: (8, 10), S: (8, 10), P: (8, 10), T: (8, 10)})
    assert seen.score == 820 and seen.low is not None and seen.low < 720
    assert seen.verdict.startswith("around 720")


def test_the_score_weighs_the_domains_32_26_24_18() -> None:
    only_development = readiness({D: (10, 10), S: (0, 10), P: (0, 10), T: (0, 10)})
    only_troubleshooting = readiness({D: (0, 10), S: (0, 10), P: (0, 10), T: (10, 10)})
    assert only_development.score == scaled(0.32)
    assert only_troubleshooting.score == scaled(0.18)


def test_a_domain_never_answered_counts_as_the_weakest() -> None:
    seen = readiness({D: (5, 10), P: (10, 10), T: (10, 10)})
    assert weakest(seen.domains) is S


def test_the_wilson_interval_of_four_out_of_five_is_the_textbook_one() -> None:
    # z = 1.96; the published 95 % Wilson interval for 4 of 5 is 0.3755 to 0.9638.
    assert wilson(4, 5) == pytest.approx((0.37553, 0.96378), abs=1e-5)
    assert wilson(1, 2) == pytest.approx((0.09453, 0.90547), abs=1e-5)


def test_the_wilson_interval_stays_between_0_and_1_at_either_extreme() -> None:
    assert wilson(0, 5) == pytest.approx((0.0, 0.43449), abs=1e-5)
    assert wilson(5, 5) == pytest.approx((0.56551, 1.0), abs=1e-5)
    assert wilson(0, 5)[0] >= 0.0 and wilson(5, 5)[1] <= 1.0


def test_a_low_end_of_exactly_720_is_likely_above_720() -> None:
    seen = readiness({D: (28, 40), S: (39, 40), P: (28, 40), T: (39, 40)})
    assert (seen.score, seen.low, seen.high) == (839, 720, 907)
    assert seen.verdict == "likely above 720"


def test_an_estimate_of_exactly_720_is_around_the_pass_mark() -> None:
    seen = readiness({D: (22, 30), S: (19, 30), P: (22, 30), T: (19, 30)})
    assert (seen.score, seen.low, seen.high) == (720, 560, 842)
    assert seen.verdict == ("around 720, not safely above it: "
                            "focus on Development with AWS Services")


def test_the_readiness_view_lists_every_domain_with_its_tally_and_where_to_focus() -> None:
    seen = readiness({D: (20, 25), S: (3, 12), P: (8, 10), T: (8, 10)})
    assert [(d.domain, d.correct, d.total) for d in seen.domains] == [
        (D, 20, 25), (S, 3, 12), (P, 8, 10), (T, 8, 10)]
    assert seen.focus is S
    assert (seen.low, seen.score, seen.high) == (481, 691, 844)


def test_with_too_few_answers_the_view_still_lists_every_domain_and_a_focus() -> None:
    seen = readiness({S: (2, 3)})
    assert [(d.domain, d.correct, d.total) for d in seen.domains] == [
        (D, 0, 0), (S, 2, 3), (P, 0, 0), (T, 0, 0)]
    assert (seen.score, seen.low, seen.high) == (None, None, None)
    assert seen.focus is D  # nothing known, and the heaviest weight
    assert seen.verdict == ("not enough answers yet: 10 in each domain are needed (still short: "
                            "Development with AWS Services, Security, Deployment, "
                            "Troubleshooting and Optimization)")
