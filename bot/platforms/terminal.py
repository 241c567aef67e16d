"""Play in a terminal: a chat on the same services, for local play, demos and tests."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

from bot.domain.channel import Target
from bot.domain.errors import QuizError, RoundClosed
from bot.domain.model import RoundKind, Where, Who
from bot.domain.ports import PostKey
from bot.domain.views import (
    BoardView,
    ExamQuestion,
    ExamResult,
    PopPosted,
    QuestionView,
    Receipt,
    RevealView,
    ReviewQuestion,
    Verdict,
    View,
)
from bot.platforms.render_learning import report_hint, review_line
from bot.platforms.render_text import render
from bot.platforms.terminal_time import MovableClock, pass_time
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due

PLATFORM = "terminal"
WORKSPACE = "local"
NAME_LIMIT = 80  # as long as a Slack display name may be
_ANSWER = re.compile(r"^\s*[a-hA-H](\s*[, ]\s*[a-hA-H])*\s*$")
TERMINAL_HELP = """Terminal commands:
  /quiz …          the quiz commands (`/quiz help` lists them)
  b  or  a,c       answer the latest question shown to you (during `/quiz exam`: the exam's)
  /answer 7 b      answer question Q7 (each question shows its number)
  /report 7 why    report a problem with question Q7, in one line
  /as NAME         play as someone else
  /channel NAME    move to another channel
  /wait 2h         let time pass: every daily question, reveal and board in between
                   appears in order
  /time            the clock
  /reset           start the game over: no rounds, no points, the clock back at the start
  /quit            leave (or Ctrl-C)"""

Reset = Callable[[], Awaitable[None]]


class TerminalPoster:
    """Posts into the chat's output, remembering each channel's latest round."""

    def __init__(self) -> None:
        self.output: list[str] = []
        self.latest_round: dict[str, tuple[int, int]] = {}  # channel → (order shown, round)
        self._shown = itertools.count(1)

    def next_shown(self) -> int:
        """A number that grows with every question shown, so the latest one can be told."""
        return next(self._shown)

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Show a question posted to a channel."""
        self.latest_round[target.channel] = (self.next_shown(), view.round_id)
        self.output.append(f"[#{target.channel}] " + numbered(view))
        return f"{target.channel}:{view.round_id}"

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Show a reveal."""
        self.output.append(f"[#{target.channel}] Q{view.question.round_id} " + render(view)
                           + "\n" + report_hint(view.question.round_id))

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Show a weekly board."""
        self.output.append(f"[#{target.channel}] " + render(view))
        return None

    def take(self) -> str:
        """Everything shown since the last call."""
        shown, self.output = self.output, []
        return "\n".join(shown)


def numbered(view: QuestionView) -> str:
    """A question with its number, which `/answer N b` names."""
    return f"Q{view.round_id} " + render(view)


class TerminalChat:
    """One terminal session: a current player and channel; every player is an admin."""

    def __init__(self, deps: Deps, poster: TerminalPoster, clock: MovableClock,
                 user: str = "you", channel: str = "general",
                 reset: Reset | None = None) -> None:
        self.deps, self.poster, self.clock = deps, poster, clock
        self.user, self.channel = user, channel
        self.practice: dict[str, tuple[int, int]] = {}  # player → (order shown, round)
        self.exams: dict[str, tuple[int, int]] = {}  # player → (exam, question number)
        self._reset = reset
        # The ticker and the player share the poster's output: one at a time, so a /wait's
        # posts stay under the times they happened at.
        self._turn = asyncio.Lock()

    @property
    def where(self) -> Where:
        """The current channel."""
        return Where(PLATFORM, WORKSPACE, self.channel, "Terminal", self.channel)

    @property
    def who(self) -> Who:
        """The current player (an admin: it is the operator's own machine)."""
        return Who(self.user, self.user, is_admin=True)

    async def say(self, line: str) -> str:
        """Handle one line as the current player; return everything the chat shows after it."""
        async with self._turn:
            await run_due(self.deps)
            try:
                reply = await self._handle(line.strip())
            except QuizError as error:
                reply = str(error)
            await run_due(self.deps)
            return "\n".join([reply, self.poster.take()]).strip()

    async def tick(self) -> str:
        """Post whatever has come due; return what was shown."""
        async with self._turn:
            await run_due(self.deps)
            return self.poster.take()

    async def _handle(self, line: str) -> str:
        if not line:
            return ""
        if _ANSWER.match(line) and self.user in self.exams:
            return self._show(await quiz.answer_exam(self.deps, self.where, self.who,
                                                     *self.exams[self.user], line))
        if _ANSWER.match(line):
            return await self._answer(None, line)
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        match word.lower():
            case "/quiz":
                return self._show(await quiz.handle(self.deps, self.where, self.who, rest))
            case "/answer":
                number, _, letters = rest.partition(" ")
                if not number.lstrip("Qq").isdigit() or not letters.strip():
                    raise QuizError("Use `/answer 7 b`: the question's number, then your answer.")
                return await self._answer(int(number.lstrip("Qq")), letters)
            case "/report":
                number, _, reason = rest.partition(" ")
                if not number.lstrip("Qq").isdigit():
                    raise QuizError("Use `/report 7 the answer should be C`: the question's "
                                    "number, then what is wrong.")
                return render(await quiz.report(self.deps, self.where, self.who,
                                                int(number.lstrip("Qq")), reason))
            case "/as" if rest:
                self.user = _name(rest, "/as NAME")
                return f"You are now {self.user}."
            case "/channel" if rest:
                self.channel = _name(rest.lstrip("#"), "/channel NAME")
                return f"You are now in #{self.channel}."
            case "/wait":
                return await self._wait(_span(rest or "1m"))
            case "/time":
                return f"🕘 {self.clock.now():%a %d %b %Y %H:%M} UTC"
            case "/reset" if self._reset is not None:
                await self._reset()
                self.practice.clear()
                self.exams.clear()
                self.poster.latest_round.clear()
                self.poster.take()
                return (f"Started over: no rounds, no points. It is "
                        f"{self.clock.now():%a %d %b %H:%M} UTC.")
            case "/help":
                return TERMINAL_HELP
        return "Type `/quiz help` for the quiz, `/help` for the terminal, or answer with `b`."

    async def _wait(self, span: timedelta) -> str:
        until = self.clock.now() + span
        steps = await pass_time(self.deps, self.clock, until, self.poster.take)
        lines = [f"🕘 {moment:%a %d %b %H:%M} UTC\n{text}" for moment, text in steps]
        lines.append(f"⏩ It is now {self.clock.now():%a %d %b %H:%M} UTC.")
        return "\n".join(lines)

    def _show(self, view: View) -> str:
        if isinstance(view, PopPosted):
            return ""  # the poster has shown the question itself
        if isinstance(view, QuestionView) and view.kind is RoundKind.PRACTICE:
            self.practice[self.user] = (self.poster.next_shown(), view.round_id)
            return numbered(view)
        if isinstance(view, ExamQuestion):
            self.exams[self.user] = (view.exam_id, view.number)
        if isinstance(view, ExamResult):
            self.exams.pop(self.user, None)
        if isinstance(view, ReviewQuestion):
            return review_line(view.left) + "\n" + self._show(view.question)
        return render(view)

    def _latest(self) -> int | None:
        """The round of the latest question shown to the current player here."""
        shown = [s for s in (self.practice.get(self.user),
                             self.poster.latest_round.get(self.channel)) if s is not None]
        return max(shown)[1] if shown else None

    async def _answer(self, round_id: int | None, letters: str) -> str:
        round_id = round_id if round_id is not None else self._latest()
        if round_id is None:
            return "There is no question to answer here yet. Try `/quiz` or `/quiz me`."
        try:
            view = await quiz.answer(self.deps, self.where, self.who, round_id, letters)
        except RoundClosed:
            self._forget_practice(round_id)
            raise
        self._forget_practice(round_id)  # a slip (`a,a`) keeps it: its answer is still to come
        if isinstance(view, Receipt) and view.answered_at is None:
            # The receipt dates a reveal on another day only when it knows today's date.
            view = replace(view, answered_at=self.clock.now())
        if isinstance(view, Verdict):
            return render(view) + "\n" + report_hint(round_id)
        return render(view)

    def _forget_practice(self, round_id: int) -> None:
        """Answered or closed: the next bare answer goes to another question."""
        shown = self.practice.get(self.user)
        if shown is not None and shown[1] == round_id:
            del self.practice[self.user]


def _name(text: str, usage: str) -> str:
    if len(text) > NAME_LIMIT:
        raise QuizError(f"That name is {len(text)} characters long; keep it to {NAME_LIMIT}. "
                        f"Use `{usage}`.")
    return text


def _span(text: str) -> timedelta:
    """'2h', '3d', '1d2h30m' as a duration."""
    match = re.fullmatch(r"(?:(\d{1,4})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?", text.lower())
    if not match or not any(match.groups()):
        raise QuizError(f"`{text}` is not a duration. Use `/wait 2h`, `/wait 3d` or `/wait 90m`.")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)
