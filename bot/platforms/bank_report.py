"""Tables for `quizbot questions stats` and `quizbot questions stats --played`."""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.table import Table

from bot.adapters.bank_rules import Rule
from bot.domain.calibration import (
    EASY_BUT_MOSTLY_MISSED,
    HARD_BUT_MOSTLY_RIGHT,
    MIN_ANSWERS,
    Played,
    misjudged,
)
from bot.domain.model import Difficulty, ExamDomain, Question
from bot.domain.reports import ReportSummary

DOMAIN_HEADERS = {ExamDomain.DEVELOPMENT: "dev", ExamDomain.SECURITY: "sec",
                  ExamDomain.DEPLOYMENT: "dep", ExamDomain.TROUBLESHOOTING: "trbl"}
LEVEL_HEADERS = {Difficulty.EASY: "easy", Difficulty.MEDIUM: "med", Difficulty.HARD: "hard"}


def coverage_table(questions: list[Question]) -> Table:
    """Topic × exam domain, with difficulty and multiple-response counts per topic."""
    # Narrow number columns and a topic column that never wraps, so that every topic name
    # reads whole in an 80-column terminal.
    table = Table(title=f"{len(questions)} questions", box=box.SIMPLE_HEAD, padding=(0, 1),
                  pad_edge=False, collapse_padding=True,
                  caption="dev sec dep trbl: the exam domains; multi: choose two or more")
    table.add_column("topic", no_wrap=True, min_width=max(
        (len(q.topic) for q in questions), default=5))
    for domain in ExamDomain:
        table.add_column(DOMAIN_HEADERS[domain], justify="right")
    for difficulty in Difficulty:
        table.add_column(LEVEL_HEADERS[difficulty], justify="right")
    table.add_column("multi", justify="right")
    table.add_column("total", justify="right")
    by_topic: dict[str, list[Question]] = {}
    for question in questions:
        by_topic.setdefault(question.topic, []).append(question)
    for topic, items in sorted(by_topic.items()):
        table.add_row(topic, *_counts(items))
    table.add_row("all", *_counts(questions), style="bold")
    return table


def _counts(items: list[Question]) -> list[str]:
    domains = Counter(q.domain for q in items)
    levels = Counter(q.difficulty for q in items)
    return ([str(domains[d]) for d in ExamDomain] + [str(levels[d]) for d in Difficulty]
            + [str(sum(q.multi for q in items)), str(len(items))])


def rules_table(rules: list[Rule]) -> Table:
    """Each coverage rule with the bank's figure and a tick or a cross."""
    table = Table(title="Rules")
    table.add_column("rule")
    table.add_column("bank", justify="right")
    table.add_column("")
    for rule in rules:
        table.add_row(rule.name, rule.actual, "✓" if rule.met else "✗",
                      style=None if rule.met else "red")
    return table


def played_table(played: list[Played]) -> Table:
    """Each answered question: answers, share right, and a flag where play contradicts it."""
    answered = [p for p in played if p.answers]
    table = Table(title=f"{len(answered)} of {len(played)} live questions answered")
    for name in ("question", "topic", "difficulty"):
        table.add_column(name)
    table.add_column("answers", justify="right")
    table.add_column("right", justify="right")
    table.add_column("flag")
    for item in sorted(answered, key=lambda p: (misjudged(p) is None, p.question_id)):
        flag = misjudged(item)
        table.add_row(item.question_id, item.topic, item.difficulty.value, str(item.answers),
                      f"{item.share_right:.0%}", flag or "", style="red" if flag else None)
    return table


def played_summary(played: list[Played]) -> str:
    """One line: how many questions play flags, and the rule it flags them by."""
    flagged = sum(misjudged(p) is not None for p in played)
    return (f"{flagged} flagged: hard but ≥ {HARD_BUT_MOSTLY_RIGHT:.0%} right, or easy but "
            f"≤ {EASY_BUT_MOSTLY_MISSED:.0%} right, with ≥ {MIN_ANSWERS} answers.")


def reports_lines(summaries: list[ReportSummary]) -> list[str]:
    """Reported questions as lines: id, how many members, held back or not, each reason."""
    if not summaries:
        return ["No open reports."]
    lines = []
    for summary in summaries:
        held = ", held back" if summary.held else ""
        members = "member" if summary.reporters == 1 else "members"
        lines.append(f"{summary.question_id}: {summary.reporters} {members}{held}, latest "
                     f"{summary.latest:%Y-%m-%d %H:%M} UTC")
        lines += [f"  - {reason}" for reason in summary.reasons]
    lines.append("Fix the question file, then `quizbot questions clear ID`.")
    return lines
