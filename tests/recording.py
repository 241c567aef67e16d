"""A Poster that records every post, for service tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.channel import Target
from bot.domain.ports import PostKey
from bot.domain.views import BoardView, QuestionView, RevealView


@dataclass
class RecordingPoster:
    """Remembers questions, reveals and boards in the order they were posted."""

    questions: list[tuple[Target, QuestionView]] = field(default_factory=list)
    reveals: list[tuple[Target, str | None, RevealView]] = field(default_factory=list)
    boards: list[tuple[Target, BoardView]] = field(default_factory=list)

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Record a question and hand back a message reference."""
        self.questions.append((target, view))
        return f"msg-{view.round_id}"

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Record a reveal."""
        self.reveals.append((target, message_ref, view))

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Record a board."""
        self.boards.append((target, view))
        return None
