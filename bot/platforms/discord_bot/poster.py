"""DiscordPoster: daily questions, reveals and weekly boards, posted on the scheduler's behalf."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import discord

from bot.domain.channel import Target
from bot.domain.ports import ChannelGone, PostKey
from bot.domain.views import BoardView, QuestionView, RevealView
from bot.platforms.discord_bot.charts_attach import board_file
from bot.platforms.discord_bot.components import answer_view
from bot.platforms.discord_bot.embeds import board_embed, question_embed, reveal_embed
from bot.platforms.discord_bot.reporting import report_view

log = logging.getLogger(__name__)

UNKNOWN_MESSAGE = 10008  # Discord's JSON error code: the message was deleted
NONCE_LENGTH = 25  # Discord's limit
# A bot may make 50 requests a second, all routes together. discord.py learns of that limit
# only from a 429 (and every request already on its way gets one too; Discord bans an address
# that makes 10,000 refused requests in 10 minutes), so posts are started no faster than this:
# a tenth below the limit, as several processes' spacings drift against each other.
REQUESTS_PER_SECOND = 45.0


# discord.py keeps a rate-limit bucket per channel for 5 minutes and, once it holds 256, looks
# at all of them each time it makes a new one: a fan-out to 10,000 channels makes 50 million
# checks, a minute of CPU. A bucket with requests left and none in flight knows nothing that
# the next response's headers will not say again, so those are let go before it gets there.
BUCKETS_KEPT = 200


def forget_idle_buckets(http: object) -> None:
    """Drop discord.py's rate-limit buckets that limit nothing now, once there are many."""
    buckets = getattr(http, "_buckets", None)
    if not isinstance(buckets, dict) or len(buckets) < BUCKETS_KEPT:
        return
    idle = [key for key, bucket in buckets.items()
            if getattr(bucket, "outgoing", 1) == 0 and not getattr(bucket, "_pending_requests", 1)
            and getattr(bucket, "remaining", 0) > 0]
    for key in idle:
        del buckets[key]


class _Spacing:
    """Starts calls at most `rate` a second, in the order they asked."""

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._interval, self._monotonic = 1.0 / rate, monotonic
        self._next = 0.0

    async def turn(self) -> None:
        """Wait for this call's turn."""
        now = self._monotonic()
        at = max(now, self._next)
        self._next = at + self._interval
        if at > now:
            await asyncio.sleep(at - now)


def nonce_of(key: PostKey | None) -> str:
    """The message nonce that names a post: with it (discord.py adds enforce_nonce), Discord
    answers a second try within its nonce window with the first message instead of a copy."""
    name = key.name if key is not None else uuid.uuid4().hex
    if len(name) > NONCE_LENGTH:
        name = hashlib.sha256(name.encode()).hexdigest()[:NONCE_LENGTH]
    return name


class DiscordPoster:
    """Posts through a logged-in client; discord.py waits out rate limits, so nothing drops."""

    def __init__(self, client: discord.Client,
                 requests_per_second: float = REQUESTS_PER_SECOND) -> None:
        self.client = client
        self._spacing = _Spacing(requests_per_second)

    def _channel(self, target: Target) -> discord.PartialMessageable:
        # A partial channel needs no cache: posting works for guilds the gateway has not sent.
        return self.client.get_partial_messageable(int(target.channel),
                                                   guild_id=int(target.workspace))

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Post a question with its answer buttons; the message id is the reference."""
        forget_idle_buckets(self.client.http)
        await self._spacing.turn()
        with _gone_on_refusal(target):
            message = await self._channel(target).send(
                embed=question_embed(view), view=answer_view(view), nonce=nonce_of(key))
        return str(message.id)

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Edit the question's message into the reveal (answer buttons swapped for "Report a
        problem"), else post it anew."""
        channel = self._channel(target)
        forget_idle_buckets(self.client.http)
        await self._spacing.turn()
        with _gone_on_refusal(target):
            if message_ref is not None:
                try:
                    await channel.get_partial_message(int(message_ref)).edit(
                        embed=reveal_embed(view), view=report_view(view.question.round_id))
                    return
                except discord.NotFound as error:
                    if error.code != UNKNOWN_MESSAGE:
                        raise
                    log.info("question message %s is gone; posting the reveal anew",
                             message_ref)
            await self._spacing.turn()
            await channel.send(embed=reveal_embed(view), nonce=nonce_of(key),
                               view=report_view(view.question.round_id))

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Post a weekly leaderboard."""
        forget_idle_buckets(self.client.http)
        await self._spacing.turn()
        with _gone_on_refusal(target):
            embed = board_embed(view)
            message = await self._channel(target).send(embed=embed, nonce=nonce_of(key),
                                                       file=board_file(embed, view))
        return str(message.id)


@contextmanager
def _gone_on_refusal(target: Target) -> Iterator[None]:
    """Turn Discord's 403 / 404 for a channel into ChannelGone, which pauses its schedule."""
    try:
        yield
    except (discord.Forbidden, discord.NotFound) as error:
        log.warning("discord refused channel %s in guild %s: %s %s", target.channel,
                    target.workspace, error.status, error.text)
        raise ChannelGone(f"Discord answered {error.status} ({error.text or 'no access'}) "
                          f"for channel {target.channel}") from error
