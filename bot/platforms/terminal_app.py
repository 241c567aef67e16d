"""`quizbot play`: the terminal chat's input and output loop."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from rich.console import Console

from bot.adapters.clock import ShiftedClock
from bot.bootstrap import bootstrap, prepare_database
from bot.config import Settings
from bot.platforms.terminal import PLATFORM, TerminalChat, TerminalPoster

TICK_SECONDS = 5.0


async def play(settings: Settings, user: str, channel: str, start: datetime | None,
               stdin: TextIO = sys.stdin, console: Console | None = None) -> None:
    """Run a terminal chat until the input ends or the player types /quit."""
    console = console or Console(highlight=False)
    clock = ShiftedClock(start or datetime.now().astimezone())
    async with bootstrap(settings, clock=clock) as runtime:
        await prepare_database(runtime)
        poster = TerminalPoster()
        runtime.router.register(PLATFORM, poster)
        chat = TerminalChat(runtime.deps, poster, clock, user, channel)
        interactive = stdin.isatty()
        if interactive:
            console.print("Quiz bot in your terminal. Try /quiz, /quiz me, /quiz help or /help.",
                          style="bold")
        show = _printer(console)
        ticker = asyncio.create_task(_tick_forever(chat, show)) if interactive else None
        try:
            while True:
                prompt = f"{chat.user}@#{chat.channel}> "
                line = await asyncio.to_thread(_read, stdin, prompt if interactive else "")
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


def _read(stdin: TextIO, prompt: str) -> str | None:
    if prompt:
        try:
            return input(prompt)
        except EOFError:
            return None
    line = stdin.readline()
    return line or None


def _printer(console: Console) -> Callable[[str], None]:
    def show(text: str) -> None:
        if text:
            console.print(text, markup=False, soft_wrap=True)

    return show


async def _tick_forever(chat: TerminalChat, show: Callable[[str], None]) -> None:
    while True:
        await asyncio.sleep(TICK_SECONDS)
        show(await chat.tick())
