"""Exam readiness: accuracy per domain with a Wilson interval, and an estimated scaled score."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.model import ExamDomain

# The DVA-C02 exam guide's weights of the four domains.
WEIGHTS = {ExamDomain.DEVELOPMENT: 0.32, ExamDomain.SECURITY: 0.26,
           ExamDomain.DEPLOYMENT: 0.24, ExamDomain.TROUBLESHOOTING: 0.18}
PASS_SCORE = 720
LOWEST, HIGHEST = 100, 1000
ENOUGH = 10  # answers per domain before an estimate means anything
Z = 1.96  # a 95 % interval


@dataclass(frozen=True)
class DomainReadiness:
    """Right answers out of answers in one domain, with the 95 % Wilson interval."""

    domain: ExamDomain
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """Share of right answers, 0 when nothing was answered."""
        return self.correct / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The Wilson score interval of the accuracy."""
        return wilson(self.correct, self.total)


@dataclass(frozen=True)
class Readiness:
    """Per-domain accuracy and, with enough answers everywhere, an estimated scaled score."""

    domains: list[DomainReadiness]
    score: int | None  # estimated score on the 100–1000 scale
    low: int | None
    high: int | None
    focus: ExamDomain | None  # where more right answers would gain the most
    verdict: str


def wilson(correct: int, total: int, z: float = Z) -> tuple[float, float]:
    """The Wilson score interval for `correct` out of `total`; (0, 1) when nothing is known."""
    if total == 0:
        return 0.0, 1.0
    p = correct / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def scaled(accuracy: float) -> int:
    """An accuracy as a score on the exam's 100–1000 scale (linear: AWS does not publish its
    scaling, so this is an estimate, not a promise)."""
    return round(LOWEST + (HIGHEST - LOWEST) * accuracy)


def weakest(domains: Iterable[DomainReadiness]) -> ExamDomain | None:
    """The domain where more right answers would gain the most: weight × what is missing,
    judged by the interval's lower end so a domain with few answers counts as weak."""
    listed = list(domains)
    if not listed:
        return None
    return max(listed, key=lambda d: (WEIGHTS[d.domain] * (1 - d.interval[0]),
                                      -list(WEIGHTS).index(d.domain))).domain


def readiness(tallies: Mapping[ExamDomain, tuple[int, int]], enough: int = ENOUGH) -> Readiness:
    """Readiness from (right, answered) per domain; an estimate once every domain has enough."""
    domains = [DomainReadiness(d, *tallies.get(d, (0, 0))) for d in WEIGHTS]
    focus = weakest(domains)
    if any(d.total < enough for d in domains):
        short = [d.domain.label for d in domains if d.total < enough]
        return Readiness(domains, None, None, None, focus,
                         f"not enough answers yet: {enough} in each domain are needed "
                         f"(still short: {', '.join(short)})")
    score = scaled(sum(WEIGHTS[d.domain] * d.accuracy for d in domains))
    # The weighted ends of the per-domain intervals: wider than a joint interval would be, so
    # "likely above" errs on the side of caution.
    low = scaled(sum(WEIGHTS[d.domain] * d.interval[0] for d in domains))
    high = scaled(sum(WEIGHTS[d.domain] * d.interval[1] for d in domains))
    assert focus is not None
    if low >= PASS_SCORE:
        verdict = f"likely above {PASS_SCORE}"
    elif score >= PASS_SCORE:
        verdict = f"around {PASS_SCORE}, not safely above it: focus on {focus.label}"
    else:
        verdict = f"not yet: focus on {focus.label}"
    return Readiness(domains, score, low, high, focus, verdict)
