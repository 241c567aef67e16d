"""Plain-text lines for readiness and reviews, shared by the terminal, Slack and Discord."""

from __future__ import annotations

from bot.domain.readiness import PASS_SCORE, Readiness


def percent(share: float) -> str:
    """0.724 → '72%'."""
    return f"{share:.0%}"


def readiness_rows(readiness: Readiness) -> list[tuple[str, str]]:
    """(domain, 'accuracy (interval) · n answers') per exam domain."""
    rows = []
    for d in readiness.domains:
        if d.total == 0:
            rows.append((d.domain.label, "no answers yet"))
            continue
        low, high = d.interval
        answers = "answer" if d.total == 1 else "answers"
        rows.append((d.domain.label, f"{percent(d.accuracy)} ({percent(low)}–{percent(high)}) "
                                     f"· {d.total} {answers}"))
    return rows


def score_line(readiness: Readiness) -> str:
    """'Estimated score 745 (690–800), pass 720: likely above 720' or the reason there is none."""
    if readiness.score is None:
        return readiness.verdict[0].upper() + readiness.verdict[1:] + "."
    return (f"Estimated score {readiness.score} ({readiness.low}–{readiness.high}) of 1000, "
            f"pass {PASS_SCORE}: {readiness.verdict}.")


def due_line(due: int) -> str:
    """'Due today: 3 reviews — `/quiz me` starts with them.'"""
    if not due:
        return "Due today: 0 reviews."
    reviews = "review" if due == 1 else "reviews"
    return f"Due today: {due} {reviews} — `/quiz me` starts with them."


def readiness_text(readiness: Readiness | None, due: int) -> list[str]:
    """The readiness section of `/quiz stats` as lines of text."""
    if readiness is None:
        return []
    rows = readiness_rows(readiness)
    width = max(len(label) for label, _ in rows)
    lines = ["Exam readiness (95% interval):"]
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    lines += [score_line(readiness), due_line(due)]
    return lines


def review_line(left: int) -> str:
    """'🔁 Review: 3 missed questions left, the latest first.'"""
    questions = "question" if left == 1 else "questions"
    return f"🔁 Review: {left} missed {questions} left, the latest first."


def report_hint(round_id: int) -> str:
    """How to report a problem with a question in the terminal."""
    return f"⚠️ Something wrong with Q{round_id}? `/report {round_id} what is wrong`"
