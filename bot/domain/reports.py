"""Reports of a problem with a question, and when enough of them hold a question back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import QuizError

HOLD_AT = 3  # members of one workspace reporting a question hold it back there
REASON_LIMIT = 300


@dataclass(frozen=True)
class Report:
    """One member saying what is wrong with a question, from a round they saw."""

    workspace_id: int
    question_id: str
    member_id: int
    reason: str
    at: datetime
    round_id: int | None = None


@dataclass(frozen=True)
class ReportSummary:
    """A question's open reports, for the people who maintain the bank."""

    question_id: str
    reporters: int
    reasons: list[str]
    latest: datetime
    held: bool


def one_line(reason: str) -> str:
    """The reason on one line; an empty one is refused with the right form."""
    text = " ".join(reason.split())
    if not text:
        raise QuizError("Say in a line what is wrong, like `the answer should be C`.")
    if len(text) > REASON_LIMIT:
        raise QuizError(f"Keep the reason to one line of {REASON_LIMIT} characters; "
                        f"it has {len(text)}.")
    return text


def held_back(reports: Iterable[Report]) -> frozenset[str]:
    """Questions that HOLD_AT or more members of one workspace have reported."""
    reporters: dict[tuple[int, str], set[int]] = defaultdict(set)
    for report in reports:
        reporters[(report.workspace_id, report.question_id)].add(report.member_id)
    return frozenset(qid for (_, qid), members in reporters.items() if len(members) >= HOLD_AT)


def summarize(reports: Iterable[Report]) -> list[ReportSummary]:
    """Open reports per question, the most reported first."""
    by_question: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_question[report.question_id].append(report)
    held = held_back(r for listed in by_question.values() for r in listed)
    summaries = [ReportSummary(qid, len({(r.workspace_id, r.member_id) for r in listed}),
                               [r.reason for r in sorted(listed, key=lambda r: r.at)],
                               max(r.at for r in listed), qid in held)
                 for qid, listed in by_question.items()]
    return sorted(summaries, key=lambda s: (-s.reporters, s.question_id))
