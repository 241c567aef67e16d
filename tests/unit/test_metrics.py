"""Posts are counted by outcome as they pass the router; discord.py's 429s are counted from the
line it logs when it waits one out."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.metrics import Metrics, RateLimitCounter
from bot.adapters.posting import PosterRouter
from bot.domain.channel import Target
from bot.domain.commands import Period
from bot.domain.ports import RateLimited
from bot.domain.views import BoardView
from tests.recording import RecordingPoster

BOARD = BoardView(Period.WEEK, False, [], (2027, 12))


class _Refusing(RecordingPoster):
    async def post_board(self, *_: object, **__: object) -> str | None:
        raise RuntimeError("channel_not_found")


def _value(metrics: Metrics, line_start: str) -> float:
    line = next(ln for ln in metrics.render().decode().splitlines() if ln.startswith(line_start))
    return float(line.split()[-1])


async def test_posts_are_counted_as_posted_or_failed_per_platform() -> None:
    metrics = Metrics()
    router = PosterRouter(on_post=metrics.posted)
    router.register("slack", RecordingPoster())
    router.register("discord", _Refusing())
    await router.post_board(Target("slack", "T1", "C1"), BOARD)
    with pytest.raises(RuntimeError):
        await router.post_board(Target("discord", "G1", "C1"), BOARD)
    assert _value(metrics, 'quizbot_posts_total{outcome="posted",platform="slack"}') == 1
    assert _value(metrics, 'quizbot_posts_total{outcome="failed",platform="discord"}') == 1


class _Limited(RecordingPoster):
    async def post_board(self, *_: object, **__: object) -> str | None:
        raise RateLimited(1)


async def test_a_post_handed_back_for_the_rate_is_neither_posted_nor_failed_yet() -> None:
    metrics = Metrics()
    router = PosterRouter(on_post=metrics.posted)
    router.register("slack", _Limited())
    with pytest.raises(RateLimited):
        await router.post_board(Target("slack", "T1", "C1"), BOARD)
    assert "quizbot_posts_total{" not in metrics.render().decode()


def test_a_429_that_discord_py_waits_out_is_counted() -> None:
    metrics = Metrics()
    counter = RateLimitCounter(metrics)
    logger = logging.getLogger("discord.http")
    logger.addFilter(counter)
    try:
        logger.warning("We are being rate limited. %s %s responded with 429. Retrying in "
                       "%.2f seconds.", "POST", "/channels/1/messages", 0.5)
    finally:
        logger.removeFilter(counter)
    assert _value(metrics, 'quizbot_rate_limited_total{platform="discord"}') == 1
