"""What every benchmark prints: its figure, the floor or goal it is held to, and whether it
meets it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its goal."""

    name: str
    measured: str
    goal: str
    met: bool

    def line(self) -> str:
        """A row of the summary."""
        return f"  {'ok  ' if self.met else 'MISS'} {self.name:<40} {self.measured:<44} " \
               f"goal {self.goal}"


class NoPoster:
    """Benchmarks post nothing."""

    async def post_question(self, *_: object) -> str:
        raise AssertionError("a benchmark posts nothing")

    post_reveal = post_board = post_question
