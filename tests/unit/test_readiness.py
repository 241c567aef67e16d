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
