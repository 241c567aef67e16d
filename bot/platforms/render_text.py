"""Plain-text renderings of the views, shared by the terminal and by platform fallbacks."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatch
from zoneinfo import ZoneInfo

from bot.domain.commands import Period
from bot.domain.model import RoundKind
from bot.domain.presenting import board_lines, winner_lines
from bot.domain.schedule import DAY_NAMES, describe_days, describe_window, when_text
from bot.domain.views import (
    BoardView,
    ExamQuestion,
    ExamResult,
    HelpView,
    Notice,
    PopPosted,
    QuestionView,
    Receipt,
    RevealView,
    ReviewQuestion,
    SettingsView,
    StatsView,
    TopicsView,
    Verdict,
)
from bot.platforms.render_learning import (
    exam_question_text,
    exam_result_text,
    readiness_text,
    review_line,
)

KIND_LABEL = {RoundKind.DAILY: "📅 Daily question", RoundKind.POP: "⚡ Pop quiz",
              RoundKind.PRACTICE: "🎯 Practice"}
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


def medal(rank: int) -> str:
    """🥇🥈🥉 for the first three ranks, then '4.'."""
    return MEDALS.get(rank, f"{rank}.")


def local(moment: datetime, zone: str) -> str:
    """A UTC instant as local 'HH:MM' in a zone."""
    return f"{moment.astimezone(ZoneInfo(zone)):%H:%M}"


def local_when(moment: datetime, zone: str, today: datetime | None) -> str:
    """'HH:MM' on the local day of `today`, else 'Sat 27 Mar HH:MM': a bare time means today."""
    return when_text(moment, zone, today)


def reveal_time(view: QuestionView) -> str:
    """When a question is revealed, with its date when that is not the day it was asked."""
    return local_when(view.closes_at, view.zone, view.opened_at)


def local_day(moment: datetime, zone: str) -> str:
    """A UTC instant as local 'Mon 27 Mar HH:MM'."""
    return f"{moment.astimezone(ZoneInfo(zone)):%a %d %b %H:%M}"


def pick_hint(view: QuestionView) -> str:
    """'Choose two.' for multi-answer questions, else ''."""
    return f"Choose {NUMBER_WORDS.get(view.pick, str(view.pick))}." if view.pick > 1 else ""


def header(view: QuestionView) -> str:
    """'📅 Daily question · DynamoDB · medium'."""
    return f"{KIND_LABEL[view.kind]} · {view.topic_title} · {view.difficulty}"


def bar(count: int, total: int, width: int = 10) -> str:
    """A bar of blocks proportional to count/total."""
    filled = round(width * count / total) if total else 0
    return "█" * filled + "·" * (width - filled)


def week_label(view: BoardView) -> str:
    """'week 2027-W13' or 'all time'."""
    if view.period is Period.ALL or view.week is None:
        return "all time"
    return f"week {view.week[0]}-W{view.week[1]:02d}"


def format_points(points: float) -> str:
    """'1 pt', '15 pts'; squads' averages keep their one decimal ('7.5 pts')."""
    return f"{points:g} pt" if points == 1 else f"{points:g} pts"


@singledispatch
def render(view: object) -> str:
    """A view as plain text."""
    raise TypeError(f"no text rendering for {type(view).__name__}")


@render.register
def _(view: QuestionView) -> str:
    lines = [header(view), view.text]
    if hint := pick_hint(view):
        lines.append(hint)
    lines += [f"  {letter}) {text}" for letter, text in view.choices]
    example = ",".join(view.letters[: view.pick]).lower()
    if view.kind is RoundKind.PRACTICE:
        lines.append(f"Answer with `{example}`.")
    else:
        lines.append(f"Answer with `{example}` — reveal at {reveal_time(view)} ({view.zone}).")
    return "\n".join(lines)


@render.register
def _(view: PopPosted) -> str:
    return f"Pop quiz posted; it closes at {reveal_time(view.question)}."


@render.register
def _(view: RevealView) -> str:
    correct = ", ".join(f"{letter}) {text}" for letter, text in view.question.choices
                        if letter in view.correct)
    lines = [f"{header(view.question)} — revealed", view.question.text,
             f"✅ Answer: {correct}", view.explanation, "Votes:"]
    for letter, count in view.votes:
        mark = " ✓" if letter in view.correct else ""
        lines.append(f"  {letter} {bar(count, view.answers)} {count}{mark}")
    if winners := winner_lines(view):
        names = ", ".join(f"{w.name} (+{w.points}" + (f", streak {w.streak}" if w.streak else "")
                          + ")" for w in winners)
        lines.append(f"Right ({len(winners)} of {view.answers}): {names}")
    else:
        lines.append(f"Nobody got it this time ({view.answers} answered).")
    return "\n".join(lines)


@render.register
def _(view: Receipt) -> str:
    when = local_when(view.closes_at, view.zone, view.answered_at)
    return f"Your answer {view.letters} is in — reveal at {when} ({view.zone})."


@render.register
def _(view: Verdict) -> str:
    if view.correct:
        gain = (" (no points: today's 10 practice points are in)" if view.capped
                else f" +{view.points} point{'s' if view.points != 1 else ''}")
        first = f"✅ Right! {view.letters} is correct.{gain}"
    else:
        first = f"❌ Not quite: you said {view.letters}, the answer is {view.correct_letters}."
    return f"{first}\n{view.explanation}"


@render.register
def _(view: BoardView) -> str:
    what = "Squads (points per active member)" if view.squads else "Leaderboard"
    lines = [f"🏆 {what} — {week_label(view)}"]
    if not view.rows:
        lines.append("No points yet. Answer a question to get on the board!")
    for row in board_lines(view):
        if row.yours:
            lines.append(f"… you: #{row.rank} {row.name} — {format_points(row.points)}")
            continue
        extra = f" ({row.members} active)" if row.members is not None else ""
        lines.append(f"{medal(row.rank)} {row.name} — {format_points(row.points)}{extra}")
    if view.movers:
        lines.append("📈 Movers: " + ", ".join(f"{name} ↑{places}"
                                              for name, places in view.movers))
    return "\n".join(lines)


@render.register
def _(view: StatsView) -> str:
    share = f"{view.correct / view.answered:.0%}" if view.answered else "—"
    lines = [f"📊 {view.name}: {view.answered} answered, {view.correct} right ({share}), "
             f"{view.points} points, daily streak {view.streak}"]
    if view.by_domain:
        lines.append("By exam domain:")
        lines += [f"  {t.label:<34} {bar(t.correct, t.total)} {t.correct}/{t.total}"
                  for t in view.by_domain]
    if view.by_topic:
        lines.append("By topic:")
        lines += [f"  {t.label:<34} {bar(t.correct, t.total)} {t.correct}/{t.total}"
                  for t in view.by_topic]
    lines += readiness_text(view.readiness, view.due_today)
    return "\n".join(lines)


@render.register
def _(view: TopicsView) -> str:
    lines = [f"📚 {len(view.topics)} topics, {sum(n for _, _, n in view.topics)} questions"]
    for slug, title, count in view.topics:
        mark = " ✓" if slug in view.selected else ""
        lines.append(f"  {slug:<20} {title} ({count}){mark}")
    if view.selected:
        lines.append("✓ = this channel's topics (`/quiz only all` to use every topic)")
    return "\n".join(lines)


def settings_rows(view: SettingsView) -> list[tuple[str, str]]:
    """(label, value) rows of a channel's settings and next fire times, in its local time."""
    s = view.settings
    daily = (f"{s.daily_time:%H:%M} {s.zone}, {describe_days(s.days)}, open "
             f"{describe_window(s.window)}" if s.daily_time else "off")
    weekly = (f"{DAY_NAMES[s.weekly_day]} {s.weekly_time:%H:%M} {s.zone}, when someone scored"
              if s.weekly_day is not None else "off (`/quiz weekly fri 16:00` turns it on)")
    rows = [("Daily question", daily), ("Pop quiz window", describe_window(s.pop_window)),
            ("Topics", ", ".join(sorted(s.topics)) if s.topics else "all"),
            ("Weekly leaderboard", weekly)]
    if view.next_daily:
        reveal = f", reveal {local(view.next_reveal, s.zone)}" if view.next_reveal else ""
        rows.append(("Next daily question", local_day(view.next_daily[0], s.zone) + reveal))
    if view.next_weekly:
        rows.append(("Next weekly board", local_day(view.next_weekly, s.zone)))
    return rows


@render.register
def _(view: SettingsView) -> str:
    lines = [f"⚙️ Settings for #{view.channel}"]
    lines += [f"  {label}: {value}" for label, value in settings_rows(view)]
    if view.disabled:
        lines.append(f"  ⚠️ Paused: {view.disabled}. Change a setting to resume.")
    return "\n".join(lines)


@render.register
def _(view: Notice) -> str:
    return view.text


@render.register
def _(view: HelpView) -> str:
    width = max(len(command) for command, _ in view.lines)
    return "\n".join(["Commands:"] + [f"  {command:<{width}}  {what}"
                                      for command, what in view.lines])


@render.register
def _(view: ReviewQuestion) -> str:
    return review_line(view.left) + "\n" + render(view.question)


@render.register
def _(view: ExamQuestion) -> str:
    return exam_question_text(view)


@render.register
def _(view: ExamResult) -> str:
    return exam_result_text(view.score)
