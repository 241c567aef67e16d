"""Play in a terminal: a chat on the same services, for local play, demos and tests."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Protocol

from bot.domain.channel import Target
from bot.domain.errors import QuizError, RoundClosed
from bot.domain.model import RoundKind, Where, Who
from bot.domain.ports import Clock, PostKey
from bot.domain.views import BoardView, PopPosted, QuestionView, RevealView, View
from bot.platforms.render_text import render
from bot.services import quiz
from bot.services.deps import Deps
from bot.services.due import run_due

PLATFORM = "terminal"
WORKSPACE = "local"
_ANSWER = re.compile(r"^\s*[a-hA-H](\s*[, ]\s*[a-hA-H])*\s*$")
TERMINAL_HELP = """Terminal commands:
  /quiz …        the quiz commands (`/quiz help` lists them)
  b  or  a,c     answer the latest question
  /as NAME       play as someone else
  /channel NAME  move to another channel
  /wait 2h       let time pass (daily questions, reveals and boards come due)
  /time          the clock
  /quit          leave"""


class MovableClock(Clock, Protocol):
    """A clock the terminal can move forward with `/wait`."""

    def advance(self, by: timedelta) -> None:
        """Jump forward."""
        ...


class TerminalPoster:
    """Posts into the chat's output, remembering each channel's latest round."""

    def __init__(self) -> None:
        self.output: list[str] = []
        self.latest_round: dict[str, int] = {}

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Show a question posted to a channel."""
        self.latest_round[target.channel] = view.round_id
        self.output.append(f"[#{target.channel}] " + render(view))
        return f"{target.channel}:{view.round_id}"

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Show a reveal."""
        self.output.append(f"[#{target.channel}] " + render(view))

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Show a weekly board."""
        self.output.append(f"[#{target.channel}] " + render(view))
        return None


class TerminalChat:
    """One terminal session: a current player and channel; every player is an admin."""

    def __init__(self, deps: Deps, poster: TerminalPoster, clock: MovableClock,
                 user: str = "you", channel: str = "general") -> None:
        self.deps, self.poster, self.clock = deps, poster, clock
        self.user, self.channel = user, channel
        self.practice: dict[str, int] = {}

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
        await run_due(self.deps)
        try:
            reply = await self._handle(line.strip())
        except QuizError as error:
            reply = str(error)
        return "\n".join([reply, await self.tick()]).strip()

    async def tick(self) -> str:
        """Post whatever has come due; return what was shown."""
        await run_due(self.deps)
        shown, self.poster.output = self.poster.output, []
        return "\n".join(shown)

    async def _handle(self, line: str) -> str:
        if not line:
            return ""
        if _ANSWER.match(line):
            return await self._answer(line)
        word, _, rest = line.partition(" ")
        match word.lower():
            case "/quiz":
                return self._show(await quiz.handle(self.deps, self.where, self.who, rest))
            case "/as" if rest.strip():
                self.user = rest.strip()
                return f"You are now {self.user}."
            case "/channel" if rest.strip():
                self.channel = rest.strip().lstrip("#")
                return f"You are now in #{self.channel}."
            case "/wait":
                self.clock.advance(_span(rest.strip() or "1m"))
                return f"⏩ It is now {self.clock.now():%a %d %b %H:%M} UTC."
            case "/time":
                return f"🕘 {self.clock.now():%a %d %b %Y %H:%M} UTC"
            case "/help":
                return TERMINAL_HELP
        return "Type `/quiz help` for the quiz, `/help` for the terminal, or answer with `b`."

    def _show(self, view: View) -> str:
        if isinstance(view, PopPosted):
            return ""  # the poster has shown the question itself
        if isinstance(view, QuestionView) and view.kind is RoundKind.PRACTICE:
            self.practice[self.user] = view.round_id
        return render(view)

    async def _answer(self, letters: str) -> str:
        practice = self.practice.get(self.user)
        round_id = practice or self.poster.latest_round.get(self.channel)
        if round_id is None:
            return "There is no question to answer here yet. Try `/quiz` or `/quiz me`."
        try:
            view = await quiz.answer(self.deps, self.where, self.who, round_id, letters)
        except RoundClosed:
            self.practice.pop(self.user, None)
            raise
        if round_id == practice:
            del self.practice[self.user]
        return render(view)


def _span(text: str) -> timedelta:
    """'2h', '3d', '1d2h30m' as a duration."""
    match = re.fullmatch(r"(?:(\d{1,4})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?", text.lower())
    if not match or not any(match.groups()):
        raise QuizError(f"`{text}` is not a duration. Use `/wait 2h`, `/wait 3d` or `/wait 90m`.")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)
