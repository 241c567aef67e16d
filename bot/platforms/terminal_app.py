"""`quizbot play`: the terminal chat's input and output loop, on a game of its own."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from rich.console import Console
from sqlalchemy import delete

from bot.adapters.clock import ShiftedClock
from bot.adapters.orm import Base
from bot.adapters.runtime import Runtime
from bot.config import Settings
from bot.domain.ports import Clock
from bot.platforms.terminal import PLATFORM, TerminalChat, TerminalPoster
from bot.platforms.terminal_input import LineReader, above_prompt

TICK_SECONDS = 5.0

# The entry point's wiring, passed in: a platform builds nothing of its own.
OpenGame = Callable[[Settings, Clock], AbstractAsyncContextManager[Runtime]]
Prepare = Callable[[Runtime], Awaitable[object]]


async def play(settings: Settings, user: str, channel: str, start: datetime | None,
               db: Path | None = None, stdin: TextIO = sys.stdin,
               console: Console | None = None, *, open_game: OpenGame,
               prepare: Prepare) -> None:
    """Run a terminal chat until the input ends or the player types /quit (or Ctrl-C)."""
    console = console or Console(highlight=False)
    with _game_file(db) as path:
        saved = SavedClock(path) if db is not None else None
        clock = ShiftedClock(start or (saved.load() if saved else None) or datetime.now(UTC))
        # A game of its own: a cache shared with a bot would mix its boards with this game's.
        local = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{path}",
                                            "redis_url": None})
        async with open_game(local, clock) as runtime:
            await prepare(runtime)
            try:
                await _chat(runtime, prepare, clock, user, channel, start, stdin, console)
            finally:
                if saved is not None:
                    saved.store(clock.now())


async def _chat(runtime: Runtime, prepare: Prepare, clock: ShiftedClock, user: str,
                channel: str,
                start: datetime | None, stdin: TextIO, console: Console) -> None:
    poster = TerminalPoster()
    runtime.router.register(PLATFORM, poster)

    async def reset() -> None:
        await wipe(runtime, prepare)
        clock.set(start or datetime.now(UTC))

    chat = TerminalChat(runtime.deps, poster, clock, user, channel, reset=reset)
    interactive = stdin.isatty()
    reader = LineReader(stdin, interactive)
    if interactive:
        console.print("Quiz bot in your terminal. Try /quiz, /quiz me, /quiz help or /help.",
                      style="bold")
    show = _printer(console, reader)
    ticker = asyncio.create_task(_tick_forever(chat, show)) if interactive else None
    try:
        while True:
            prompt = f"{chat.user}@#{chat.channel}> "
            line = await reader.read(prompt if interactive else "")
            if line is None or line.strip() == "/quit":
                break
            if not interactive:
                console.print(prompt + line.rstrip("\n"), style="dim", markup=False,
                              soft_wrap=True)
            show(await chat.say(line))
    finally:
        if ticker is not None:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker


async def wipe(runtime: Runtime, prepare: Prepare) -> None:
    """Empty every table, then load the question bank again: a new game on the same file."""
    async with runtime.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))
    await prepare(runtime)


@contextlib.contextmanager
def _game_file(db: Path | None) -> Iterator[Path]:
    """The kept game's file, or a throwaway one so each `quizbot play` starts fresh."""
    if db is not None:
        yield db
        return
    with tempfile.TemporaryDirectory(prefix="quizbot-play-") as folder:
        yield Path(folder) / "game.db"


class SavedClock:
    """A kept game's clock, next to its file, so `/wait 3d` is not undone by the next session."""

    def __init__(self, db: Path) -> None:
        self.path = db.with_name(db.name + ".clock")

    def load(self) -> datetime | None:
        """The saved instant if it is still ahead of real time (time never runs backwards)."""
        try:
            saved = datetime.fromisoformat(self.path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None
        return max(saved, datetime.now(UTC))

    def store(self, moment: datetime) -> None:
        """Remember where the game's clock stands."""
        self.path.write_text(moment.isoformat() + "\n", encoding="utf-8")


def _printer(console: Console, reader: LineReader) -> Callable[[str], None]:
    def show(text: str) -> None:
        if not text:
            return
        prompt = reader.waiting_prompt
        if prompt is None:
            console.print(text, markup=False, soft_wrap=True)
            return
        # A reveal arriving while the player types goes above the line, which is redrawn.
        console.file.write(above_prompt(text, prompt, reader.typed()))
        console.file.flush()

    return show


async def _tick_forever(chat: TerminalChat, show: Callable[[str], None]) -> None:
    while True:
        await asyncio.sleep(TICK_SECONDS)
        show(await chat.tick())
