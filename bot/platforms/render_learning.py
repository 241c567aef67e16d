"""Plain-text lines for readiness and reviews, shared by the terminal, Slack and Discord."""

from __future__ import annotations

from bot.domain.exam import ExamScore
from bot.domain.readiness import PASS_SCORE, Readiness
from bot.domain.views import ExamQuestion


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


NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


def exam_header(view: ExamQuestion) -> str:
    """'📝 Mock exam · question 3 of 20 · 34 min left'."""
    again = " (where you left off)" if view.resumed else ""
    return (f"📝 Mock exam · question {view.number} of {view.size} · "
            f"{view.minutes_left} min left{again}")


def exam_pick_hint(view: ExamQuestion) -> str:
    """'Choose two.' for multi-answer questions, else ''."""
    return f"Choose {NUMBER_WORDS.get(view.pick, str(view.pick))}." if view.pick > 1 else ""


def exam_question_text(view: ExamQuestion) -> str:
    """A mock exam question as plain text."""
    lines = [exam_header(view), view.text]
    if hint := exam_pick_hint(view):
        lines.append(hint)
    lines += [f"  {letter}) {text}" for letter, text in view.choices]
    example = ",".join(view.letters[: view.pick]).lower()
    lines.append(f"Answer with `{example}`; the results come at the end.")
    return "\n".join(lines)


def exam_summary(result: ExamScore) -> str:
    """'14 of 20 right (70%): estimated score 730 of 1000, above the 720 pass mark.'"""
    share = result.correct / result.size if result.size else 0.0
    mark = "above" if result.passed else "below"
    return (f"{result.correct} of {result.size} right ({percent(share)}): estimated score "
            f"{result.score} of 1000, {mark} the {PASS_SCORE} pass mark.")


def exam_result_text(result: ExamScore) -> str:
    """A finished mock exam as plain text: summary, domains, each miss with its explanation."""
    lines = [f"📝 Mock exam finished. {exam_summary(result)}"]
    if result.answered < result.size:
        lines.append(unanswered_line(result))
    lines.append("By domain:")
    width = max(len(d.label) for d, _, _ in result.by_domain)
    lines += [f"  {d.label:<{width}}  {right}/{total}" for d, right, total in result.by_domain]
    if result.missed:
        lines.append("Missed:")
    for miss in result.missed:
        yours = f"you said {miss.yours}" if miss.yours else "not answered"
        answer = "; ".join(f"{letter}) {text}" for letter, text in miss.correct)
        lines += [f"  {miss.number}. {miss.text}", f"     {yours} · answer: {answer}",
                  f"     {miss.explanation}"]
    return "\n".join(lines)


def unanswered_line(result: ExamScore) -> str:
    """Why some questions went unanswered: the time ran out, or the member stopped."""
    answers = "answer" if result.answered == 1 else "answers"
    why = "⏰ Time ran out" if result.timed_out else "⏹ Stopped"
    return f"{why} after {result.answered} {answers}; the rest count as wrong."
