"""Route posts to the platform a channel lives on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.domain.channel import Target
from bot.domain.ports import Poster, PostKey, RateLimited
from bot.domain.views import BoardView, QuestionView, RevealView

T = TypeVar("T")


class PosterRouter:
    """A Poster that hands each post to the platform's own poster, counting outcomes."""

    def __init__(self, on_post: Callable[[str, str], None] | None = None) -> None:
        self._posters: dict[str, Poster] = {}
        self._on_post = on_post

    def register(self, platform: str, poster: Poster) -> None:
        """Post through `poster` for channels on `platform`."""
        self._posters[platform] = poster

    def _for(self, target: Target) -> Poster:
        try:
            return self._posters[target.platform]
        except KeyError:
            raise LookupError(f"no poster for platform {target.platform!r} is running") from None

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Post a question on the target's platform."""
        return await self._counted(target, self._for(target).post_question(target, view, key))

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Post a reveal on the target's platform."""
        await self._counted(target,
                            self._for(target).post_reveal(target, message_ref, view, key))

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Post a board on the target's platform."""
        return await self._counted(target, self._for(target).post_board(target, view, key))

    async def _counted(self, target: Target, post: Awaitable[T]) -> T:
        try:
            result = await post
        except RateLimited:  # not an outcome: the post goes again (its 429 is counted apart)
            raise
        except Exception:
            if self._on_post:
                self._on_post(target.platform, "failed")
            raise
        if self._on_post:
            self._on_post(target.platform, "posted")
        return result
