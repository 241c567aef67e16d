"""Reading the player's lines without blocking the chat, or Ctrl-C, or the way out."""

from __future__ import annotations

import asyncio
import queue
import threading
from types import ModuleType
from typing import TextIO

ERASE_LINE = "\r\x1b[K"


class LineReader:
    """Reads one line at a time on a daemon thread, so an exit never waits for Enter."""

    def __init__(self, stdin: TextIO, interactive: bool) -> None:
        self.stdin, self.interactive = stdin, interactive
        self.waiting_prompt: str | None = None  # the prompt shown while a line is being typed
        self._asks: queue.Queue[tuple[str, asyncio.Future[str | None]]] = queue.Queue()
        self._thread: threading.Thread | None = None

    async def read(self, prompt: str) -> str | None:
        """The next line, or None when the input has ended."""
        if self._thread is None:
            if self.interactive:
                _line_editor()  # input() edits lines (and shares them) only once it is loaded
            # A daemon thread rather than the loop's executor: asyncio.run waits for the
            # executor's threads on the way out, and this one may sit in input() forever.
            self._thread = threading.Thread(target=self._serve, name="terminal-input",
                                            daemon=True)
            self._thread.start()
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._asks.put((prompt, future))
        self.waiting_prompt = prompt if self.interactive else None
        try:
            return await future
        finally:
            self.waiting_prompt = None

    def typed(self) -> str:
        """What the player has typed of the current line so far."""
        readline = _line_editor()
        return readline.get_line_buffer() if readline is not None else ""

    def _serve(self) -> None:
        while True:
            prompt, future = self._asks.get()
            line = self._read_line(prompt)
            loop = future.get_loop()
            if loop.is_closed():
                return
            loop.call_soon_threadsafe(_settle, future, line)
            if line is None:
                return

    def _read_line(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        line = self.stdin.readline()
        return line or None


def _line_editor() -> ModuleType | None:
    try:
        import readline
    except ImportError:  # not every Python has it (Windows)
        return None
    return readline


def _settle(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)


def above_prompt(text: str, prompt: str, typed: str) -> str:
    """Terminal output that puts `text` above a half-typed line and redraws that line."""
    return f"{ERASE_LINE}{text}\n{prompt}{typed}"
