"""The deliverer: send what the outbox holds, store the platform's reference, retry or drop.

Any number of deliverers may run at once: each claims rows until a deadline it keeps pushing
while it posts, so a deliverer that dies is taken over when its claim runs out, and the post
is named (PostKey) so that the platform, or a look at the channel, recognises a second try.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.channel import Channel
from bot.domain.commands import Period
from bot.domain.model import Question, Round, Workspace
from bot.domain.outbox import RETRY_FOR, Delivery, DeliveryKind, backoff
from bot.domain.ports import PostKey, RateLimited, UnitOfWork
from bot.domain.presenting import question_view, reveal_view
from bot.domain.views import BoardView, QuestionView, RevealView
from bot.services.delivery import Undelivered, deliver
from bot.services.deps import Deps
from bot.services.finishing import Finisher
from bot.services.standings import board
from bot.services.tenancy import target_of

log = logging.getLogger(__name__)
CLAIM_FOR = timedelta(seconds=30)
BATCH = 50
AT_ONCE = BATCH  # posts mostly wait for their turn under a rate limit: let them all queue
TURNS = 5  # a post the platform refuses for its rate this many times goes back to the outbox
Posted = QuestionView | RevealView | BoardView


@dataclass(frozen=True)
class Delivered:
    """A post the platform has."""

    delivery: Delivery
    view: Posted


@dataclass(frozen=True)
class Sent:
    """What one claim did: how many posts it took on, and those the platform now has."""

    claimed: int
    delivered: list[Delivered]


@dataclass(frozen=True)
class _Batch:
    """What a batch's round posts read, loaded for all of them at once rather than per post."""

    workspaces: dict[int, Workspace] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    rounds: dict[int, Round] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # topic slug → title

    def where(self, delivery: Delivery) -> tuple[Workspace, Channel] | None:
        """The delivery's workspace and channel, unless one is gone or the app left."""
        workspace = self.workspaces.get(delivery.workspace_id)
        channel = self.channels.get(delivery.channel_id)
        if channel is None or workspace is None or not workspace.active:
            return None
        return workspace, channel


@dataclass(frozen=True)
class _Work:
    delivery: Delivery
    workspace: Workspace
    channel: Channel
    view: Posted
    give_up_at: datetime  # a passing failure after this drops the post
    message_ref: str | None = None  # the question's message, for a reveal to edit


@dataclass(frozen=True)
class Claimed:
    """A batch of deliveries this deliverer holds, with what their posts read and the pacing
    their starts were reserved under."""

    deliveries: list[Delivery]
    loaded: _Batch
    spacing: Mapping[str, timedelta] | None = None


async def deliver_due(deps: Deps, owner: str, batch: int = BATCH, at_once: int = AT_ONCE,
                      claim_for: timedelta = CLAIM_FOR, platform: str | None = None,
                      per_workspace: int | None = None) -> Sent:
    """Claim a batch of due deliveries (of one platform, when given; none beyond a
    workspace's `per_workspace` next ones) and post them, `at_once` at a time."""
    claimed = await claim_batch(deps, owner, batch, claim_for, platform, per_workspace)
    if claimed is None:
        return Sent(0, [])
    return await post_batch(deps, owner, claimed, at_once, claim_for)


async def claim_batch(deps: Deps, owner: str, batch: int = BATCH,
                      claim_for: timedelta = CLAIM_FOR, platform: str | None = None,
                      per_workspace: int | None = None,
                      spacing: Mapping[str, timedelta] | None = None) -> Claimed | None:
    """Claim a batch of due deliveries and read what their posts need (None: nothing due);
    posts of a platform in `spacing` start no closer together, per workspace, than given,
    counting every deliverer's."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        claimed = await uow.deliveries.claim(now, owner, now + claim_for, batch, platform,
                                             per_workspace)
        if not claimed:
            return None
        loaded = await _load(uow, claimed)
        if spacing:
            # Reserved once the batch is read, and from the clock then: slots that started
            # before the read (a few hundred ms on a busy worker) would be spent already, and
            # their posts would go out together, past the platform's burst.
            claimed = await uow.deliveries.reserve(claimed, deps.clock.now(), spacing)
        await uow.commit()
    return Claimed(claimed, loaded, spacing)


async def post_batch(deps: Deps, owner: str, batch: Claimed, at_once: int = AT_ONCE,
                     claim_for: timedelta = CLAIM_FOR, finisher: Finisher | None = None) -> Sent:
    """Post a claimed batch, `at_once` at a time, keeping the claims until each is settled;
    the posts that went out are stored as done through `finisher` (one of the batch's own
    when None), with other batches' posts."""
    claimed = batch.deliveries
    gate = asyncio.Semaphore(at_once)
    pending = {d.id for d in claimed}
    finisher = finisher or Finisher(deps, owner)

    async def one(delivery: Delivery) -> Delivered | None:
        async with gate:
            try:
                return await _send(deps, delivery, owner, batch, finisher)
            except Exception:  # its claim runs out and another try follows
                log.exception("delivery %s (%s) failed", delivery.id, delivery.key)
                return None
            finally:
                pending.discard(delivery.id)

    keeper = asyncio.create_task(_keep_claims(deps, owner, pending, claim_for))
    try:
        results = await asyncio.gather(*(one(d) for d in claimed))
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
    return Sent(len(claimed), [r for r in results if r is not None])


async def deliver_all(deps: Deps, owner: str) -> list[Delivered]:
    """Post everything due now, batch after batch (the terminal and tests use this)."""
    done: list[Delivered] = []
    while (sent := await deliver_due(deps, owner)).claimed:
        done.extend(sent.delivered)
    return done


async def _keep_claims(deps: Deps, owner: str, pending: set[int], claim_for: timedelta) -> None:
    while True:
        await asyncio.sleep(claim_for.total_seconds() / 3)
        async with deps.uow() as uow:
            await uow.deliveries.extend(sorted(pending), owner, deps.clock.now() + claim_for)
            await uow.commit()


async def _load(uow: UnitOfWork, claimed: list[Delivery]) -> _Batch:
    posts = [d for d in claimed if d.round_id is not None]
    if not posts:
        return _Batch()
    rounds = await uow.rounds.many({d.round_id for d in posts if d.round_id is not None})
    return _Batch(
        workspaces=await uow.workspaces.many({d.workspace_id for d in posts}),
        channels=await uow.channels.many({d.channel_id for d in posts}),
        rounds=rounds,
        questions=await uow.questions.many({r.question_id for r in rounds.values()}),
        titles={t.slug: t.title for t in await uow.questions.topics()})


async def _send(deps: Deps, delivery: Delivery, owner: str, batch: Claimed,
                finisher: Finisher) -> Delivered | None:
    if delivery.kind is DeliveryKind.BOARD:
        work, reason = await _board(deps, delivery)
    else:
        work, reason = await _round_post(deps, batch.loaded, delivery)
    if work is None:
        async with deps.uow() as uow:
            await uow.deliveries.drop(delivery.id, reason)
            await uow.commit()
        log.info("dropped %s: %s", delivery.key, reason)
        return None
    if delivery.send_at is not None:  # the start its claim reserved within the rate
        await _until(deps, delivery.send_at)
    try:
        ref = await _post_in_turn(deps, work, batch.spacing)
    except Undelivered as failed:
        await _failed(deps, work, owner, failed)
        return None
    if not await finisher.finish(delivery, ref):
        log.warning("delivery %s was taken over while it was being posted", delivery.key)
    return Delivered(delivery, work.view)


async def _post_in_turn(deps: Deps, work: _Work,
                        spacing: Mapping[str, timedelta] | None) -> str | None:
    """Post; one the platform refuses for its rate goes again in a turn of its own, unless
    that turn comes too late to be of use."""
    delivery = work.delivery
    key = PostKey(delivery.key, retry=delivery.maybe_posted)
    turns = 1
    while True:
        try:
            return await _post(deps, work, key)
        except RateLimited as limited:
            if turns == TURNS:
                raise Undelivered(str(limited), lasting=False) from limited
            turns += 1
            turn = await _next_turn(deps, delivery, limited.retry_after, spacing)
            if turn >= work.give_up_at:  # a question past its window, a reveal long overdue
                raise Undelivered(f"{limited}, and its next turn comes too late",
                                  lasting=True) from limited
            await _until(deps, turn)


async def _next_turn(deps: Deps, delivery: Delivery, retry_after: float,
                     spacing: Mapping[str, timedelta] | None) -> datetime:
    """When a post refused for the platform's rate goes again: once `retry_after` has passed
    and, where its workspace's rate is paced, in a slot after those already given out. (Its
    own slot is spent; going in the next post's would have that one refused in turn, and so
    on to the workspace's last post.)"""
    not_before = deps.clock.now() + timedelta(seconds=retry_after)
    if not spacing:
        return not_before
    async with deps.uow() as uow:
        [timed] = await uow.deliveries.reserve([delivery], not_before, spacing)
        await uow.commit()
    return max(timed.send_at or not_before, not_before)


async def _until(deps: Deps, moment: datetime) -> None:
    """Sleep until the clock reads `moment`, measured once on the clock (which tests may
    freeze) and waited out on the loop's, which may run a timer a little early."""
    loop = asyncio.get_running_loop()
    wake_at = loop.time() + (moment - deps.clock.now()).total_seconds()
    while (wait := wake_at - loop.time()) > 0:
        await asyncio.sleep(wait)


async def _where(uow: UnitOfWork, delivery: Delivery) -> tuple[Workspace, Channel] | None:
    channel = await uow.channels.get(delivery.channel_id)
    workspace = await uow.workspaces.get(delivery.workspace_id)
    if channel is None or workspace is None or not workspace.active:
        return None
    return workspace, channel


async def _board(deps: Deps, delivery: Delivery) -> tuple[_Work | None, str]:
    """The week's board as it stands; an empty one is not worth a post."""
    async with deps.uow() as uow:
        where = await _where(uow, delivery)
    if where is None:
        return None, "the workspace or channel is gone"
    # Read outside the transaction above: the board has sessions of its own.
    view = await board(deps, where[0].id, Period.WEEK, squads=False, at=delivery.created_at)
    if not view.rows:
        return None, "nobody scored this week"
    return _Work(delivery, *where, view, delivery.created_at + RETRY_FOR), ""


async def _round_post(deps: Deps, loaded: _Batch,
                      delivery: Delivery) -> tuple[_Work | None, str]:
    """A round's question or reveal, or why not to post it any more."""
    where = loaded.where(delivery)
    if where is None:
        return None, "the workspace or channel is gone"
    workspace, channel = where
    assert delivery.round_id is not None
    round_ = loaded.rounds.get(delivery.round_id)
    question = loaded.questions.get(round_.question_id) if round_ else None
    if round_ is None or question is None:
        return None, "its round is gone"
    shown = question_view(round_, question, loaded.titles.get(question.topic, ""),
                          channel.settings.zone)
    if delivery.kind is DeliveryKind.QUESTION:
        if round_.closed_at is not None or deps.clock.now() >= round_.closes_at:
            return None, "its answer window ended before it could be posted"
        return _Work(delivery, workspace, channel, shown, round_.closes_at), ""
    async with deps.uow() as uow:  # the answers as they stand now, not when the batch began
        answers = await uow.answers.for_round(round_.id)
    reveal = reveal_view(shown, round_, question, answers)
    return _Work(delivery, workspace, channel, reveal, delivery.created_at + RETRY_FOR,
                 round_.message_ref), ""


async def _post(deps: Deps, work: _Work, key: PostKey) -> str | None:
    target = target_of(work.workspace, work.channel)
    view = work.view
    if isinstance(view, QuestionView):
        return await deliver(deps, work.workspace, work.channel,
                             deps.poster.post_question(target, view, key))
    if isinstance(view, RevealView):
        await deliver(deps, work.workspace, work.channel,
                      deps.poster.post_reveal(target, work.message_ref, view, key))
        return work.message_ref
    return await deliver(deps, work.workspace, work.channel,
                         deps.poster.post_board(target, view, key))


async def _failed(deps: Deps, work: _Work, owner: str, failed: Undelivered) -> None:
    delivery, now = work.delivery, deps.clock.now()
    retry_at = now + backoff(delivery.attempts, 0.5 + deps.rng.random() / 2)
    async with deps.uow() as uow:
        if failed.lasting or retry_at >= work.give_up_at:
            await uow.deliveries.drop(delivery.id, failed.reason)
            log.warning("gave up %s: %s", delivery.key, failed.reason)
        else:
            await uow.deliveries.retry(delivery.id, owner, retry_at, failed.reason)
        await uow.commit()
