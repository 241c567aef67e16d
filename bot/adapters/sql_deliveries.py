"""The outbox in SQL: pending posts claimed with SKIP LOCKED and a claim deadline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import DeliveryRow, WorkspaceRow
from bot.domain.outbox import Delivery, DeliveryKind, DeliveryStatus
from bot.domain.ports import Duplicate

PENDING = DeliveryStatus.PENDING.value


def _delivery(row: DeliveryRow) -> Delivery:
    week = (row.iso_year, row.iso_week) if row.iso_year is not None and row.iso_week else None
    return Delivery(
        id=row.id, workspace_id=row.workspace_id, channel_id=row.channel_id,
        kind=DeliveryKind(row.kind), created_at=row.created_at, round_id=row.round_id,
        week=week, status=DeliveryStatus(row.status), attempts=row.attempts,
        claimed_until=row.claimed_until, message_ref=row.message_ref)


class SqlDeliveries:
    """Deliveries table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, delivery: Delivery) -> Delivery:
        """Insert; the same round's post, or the same week's board, twice raises Duplicate."""
        row = DeliveryRow(
            workspace_id=delivery.workspace_id, channel_id=delivery.channel_id,
            kind=delivery.kind.value, round_id=delivery.round_id,
            iso_year=delivery.week[0] if delivery.week else None,
            iso_week=delivery.week[1] if delivery.week else None,
            status=PENDING, attempts=0, not_before=delivery.created_at,
            created_at=delivery.created_at)
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError as exc:
            raise Duplicate("that post is in the outbox already") from exc
        return _delivery(row)

    async def add_posts(self, deliveries: list[Delivery]) -> None:
        """Insert pending deliveries of new rounds in one statement."""
        if deliveries:
            await self.session.execute(insert(DeliveryRow), [
                {"workspace_id": d.workspace_id, "channel_id": d.channel_id,
                 "kind": d.kind.value, "round_id": d.round_id, "iso_year": None,
                 "iso_week": None, "status": PENDING, "attempts": 0,
                 "not_before": d.created_at, "created_at": d.created_at} for d in deliveries])

    async def claim(self, now: datetime, owner: str, until: datetime, limit: int,
                    platform: str | None = None,
                    per_workspace: int | None = None) -> list[Delivery]:
        """Lock due, unclaimed (or abandoned) rows, skipping those another claim is taking;
        each workspace's oldest first, then each one's second, and so on: a batch of posts
        to one workspace would wait out that workspace's rate limit while others idle."""
        claimable = [DeliveryRow.status == PENDING, DeliveryRow.not_before <= now,
                     or_(DeliveryRow.claimed_until.is_(None), DeliveryRow.claimed_until <= now)]
        # Turns count the posts in flight too: a workspace whose first posts are out has its
        # next ones after every other workspace's first.
        turn = func.row_number().over(partition_by=DeliveryRow.workspace_id,
                                      order_by=(DeliveryRow.not_before, DeliveryRow.id))
        due = select(DeliveryRow.id, turn.label("turn")).where(DeliveryRow.status == PENDING)
        if platform is not None:
            due = due.join(WorkspaceRow, WorkspaceRow.id == DeliveryRow.workspace_id).where(
                WorkspaceRow.platform == platform)
        turns = due.subquery()
        if per_workspace is not None:
            claimable.append(turns.c.turn <= per_workspace)
        # The conditions again on the locked rows: PostgreSQL rechecks them on a row that
        # another claim changed meanwhile.
        ids = list(await self.session.scalars(
            select(DeliveryRow.id).join(turns, turns.c.id == DeliveryRow.id).where(*claimable)
            .order_by(turns.c.turn, DeliveryRow.not_before, DeliveryRow.id).limit(limit)
            .with_for_update(of=DeliveryRow, skip_locked=True)))
        if not ids:
            return []
        await self.session.execute(
            update(DeliveryRow).where(DeliveryRow.id.in_(ids))
            .values(claimed_by=owner, claimed_until=until, attempts=DeliveryRow.attempts + 1))
        rows = await self.session.scalars(select(DeliveryRow).where(DeliveryRow.id.in_(ids))
                                          .order_by(DeliveryRow.not_before, DeliveryRow.id)
                                          .execution_options(populate_existing=True))
        return [_delivery(r) for r in rows]

    async def reserve(self, claimed: list[Delivery], now: datetime,
                      spacing: Mapping[str, timedelta]) -> list[Delivery]:
        """Each post's start from its workspace's next free slot, advanced past them."""
        # Locked in id order, as every claim does: claims wait for each other, never deadlock.
        # NO KEY: rows inserted meanwhile that refer to the workspace do not wait for it.
        slots = {ws: (max(at or now, now), spacing[platform]) for ws, platform, at in
                 await self.session.execute(
                     select(WorkspaceRow.id, WorkspaceRow.platform, WorkspaceRow.next_post_at)
                     .where(WorkspaceRow.id.in_({d.workspace_id for d in claimed}),
                            WorkspaceRow.platform.in_(list(spacing)))
                     .order_by(WorkspaceRow.id).with_for_update(key_share=True))}
        if not slots:
            return claimed
        timed = []
        for delivery in claimed:
            if delivery.workspace_id in slots:
                at, gap = slots[delivery.workspace_id]
                slots[delivery.workspace_id] = (at + gap, gap)
                delivery = replace(delivery, send_at=at)
            timed.append(delivery)
        await self.session.execute(update(WorkspaceRow), [
            {"id": ws, "next_post_at": at} for ws, (at, _) in slots.items()])
        return timed

    async def extend(self, delivery_ids: list[int], owner: str, until: datetime) -> None:
        """Push the claim deadline of rows this owner still holds."""
        if delivery_ids:
            await self.session.execute(
                update(DeliveryRow).where(DeliveryRow.id.in_(delivery_ids),
                                          DeliveryRow.claimed_by == owner,
                                          DeliveryRow.status == PENDING)
                .values(claimed_until=until))

    async def finish(self, done: Mapping[int, str | None], owner: str,
                     at: datetime) -> set[int]:
        """Done, with their message references, those this owner still holds: one statement
        for all of them."""
        if not done:
            return set()
        refs = {i: ref for i, ref in done.items() if ref is not None}
        result = await self.session.execute(
            update(DeliveryRow).where(DeliveryRow.id.in_(list(done)),
                                      DeliveryRow.claimed_by == owner,
                                      DeliveryRow.status == PENDING)
            .values(status=DeliveryStatus.DONE.value, done_at=at, claimed_until=None,
                    last_error=None,
                    message_ref=case(refs, value=DeliveryRow.id, else_=None) if refs else None)
            .returning(DeliveryRow.id).execution_options(synchronize_session=False))
        return set(result.scalars())

    async def retry(self, delivery_id: int, owner: str, not_before: datetime,
                    error: str) -> bool:
        """Back to pending from `not_before`, if this owner still holds it."""
        return await self._settle(delivery_id, owner, not_before=not_before,
                                  claimed_until=None, last_error=error[:2000])

    async def drop(self, delivery_id: int, reason: str) -> None:
        """Give it up, whoever holds it."""
        await self.session.execute(
            update(DeliveryRow).where(DeliveryRow.id == delivery_id,
                                      DeliveryRow.status == PENDING)
            .values(status=DeliveryStatus.DROPPED.value, claimed_until=None,
                    last_error=reason[:2000]))

    async def of_round(self, round_id: int, kind: DeliveryKind) -> Delivery | None:
        """The round's delivery of a kind, locked until commit."""
        row = await self.session.scalar(
            select(DeliveryRow).filter_by(round_id=round_id, kind=kind.value)
            .with_for_update().execution_options(populate_existing=True))
        return _delivery(row) if row else None

    async def get(self, delivery_id: int) -> Delivery | None:
        """A delivery by id."""
        row = await self.session.get(DeliveryRow, delivery_id, populate_existing=True)
        return _delivery(row) if row else None

    async def next_after(self, after: datetime) -> datetime | None:
        """The earliest not_before of a pending row later than `after`."""
        moment: datetime | None = await self.session.scalar(
            select(func.min(DeliveryRow.not_before))
            .where(DeliveryRow.status == PENDING, DeliveryRow.not_before > after))
        return moment

    async def _settle(self, delivery_id: int, owner: str, **values: object) -> bool:
        result = await self.session.execute(
            update(DeliveryRow).where(DeliveryRow.id == delivery_id,
                                      DeliveryRow.claimed_by == owner,
                                      DeliveryRow.status == PENDING)
            .values(**values))
        return bool(getattr(result, "rowcount", 0))
