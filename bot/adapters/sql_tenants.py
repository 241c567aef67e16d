"""Workspaces, channels and members in SQL."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import ChannelRow, MemberRow, WorkspaceRow
from bot.domain.channel import Channel
from bot.domain.model import Member, Workspace
from bot.domain.schedule import ChannelSettings, Due


def _workspace(row: WorkspaceRow) -> Workspace:
    return Workspace(row.id, row.platform, row.external_id, row.name, row.active)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def settings_of(row: ChannelRow) -> ChannelSettings:
    """A channel row's settings as the domain sees them."""
    return ChannelSettings(
        daily_time=_clock(row.daily_time) if row.daily_time else None,
        zone=row.zone,
        days=frozenset(i for i, flag in enumerate(row.days) if flag == "1"),
        window=timedelta(minutes=row.window_minutes),
        pop_window=timedelta(minutes=row.pop_window_minutes),
        topics=frozenset(t for t in row.topics.split(",") if t),
        weekly_day=row.weekly_day,
        weekly_time=_clock(row.weekly_time),
    )


def _channel(row: ChannelRow) -> Channel:
    return Channel(row.id, row.workspace_id, row.external_id, row.name, settings_of(row),
                   row.disabled, Due(row.next_daily_at, row.next_weekly_at))


def _setting_columns(settings: ChannelSettings) -> dict[str, object]:
    return {
        "daily_time": f"{settings.daily_time:%H:%M}" if settings.daily_time else None,
        "zone": settings.zone,
        "days": "".join("1" if d in settings.days else "0" for d in range(7)),
        "window_minutes": int(settings.window.total_seconds() // 60),
        "pop_window_minutes": int(settings.pop_window.total_seconds() // 60),
        "topics": ",".join(sorted(settings.topics)),
        "weekly_day": settings.weekly_day,
        "weekly_time": f"{settings.weekly_time:%H:%M}",
    }


Row = TypeVar("Row", WorkspaceRow, ChannelRow, MemberRow)


async def find_or_add(session: AsyncSession, model: type[Row], key: dict[str, object],
                      values: dict[str, object]) -> tuple[Row, bool]:
    """The row with this unique key, inserted if missing; True when this call inserted it.

    Two first requests at once (a double click of a new member) both miss the row; the unique
    key turns the second insert into an IntegrityError, and that request reads the winner's row.
    """
    row = await session.scalar(select(model).filter_by(**key))
    if row is not None:
        return row, False
    try:
        async with session.begin_nested():
            row = model(**key, **values)
            session.add(row)
    except IntegrityError:
        row = await session.scalar(select(model).filter_by(**key))
        if row is None:
            raise
        return row, False
    return row, True


class SqlWorkspaces:
    """Workspaces table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure(self, platform: str, external_id: str, name: str) -> Workspace:
        """Find or create the workspace."""
        row, created = await find_or_add(
            self.session, WorkspaceRow, {"platform": platform, "external_id": external_id},
            {"name": name, "active": True, "created_at": datetime.now(UTC)})
        if not created and name and name != external_id and row.name != name:
            row.name = name
        return _workspace(row)

    async def get(self, workspace_id: int) -> Workspace | None:
        """A workspace by id."""
        row = await self.session.get(WorkspaceRow, workspace_id)
        return _workspace(row) if row else None

    async def many(self, workspace_ids: Collection[int]) -> dict[int, Workspace]:
        """The workspaces with these ids that exist, by id."""
        if not workspace_ids:
            return {}
        rows = await self.session.scalars(select(WorkspaceRow)
                                          .where(WorkspaceRow.id.in_(list(workspace_ids))))
        return {r.id: _workspace(r) for r in rows}

    async def find(self, platform: str, external_id: str) -> Workspace | None:
        """A workspace by platform id."""
        row = await self.session.scalar(select(WorkspaceRow).filter_by(
            platform=platform, external_id=external_id))
        return _workspace(row) if row else None

    async def set_active(self, workspace_id: int, active: bool) -> None:
        """Mark installed or gone."""
        await self.session.execute(update(WorkspaceRow).filter_by(id=workspace_id)
                                   .values(active=active))


class SqlChannels:
    """Channels table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure(self, workspace_id: int, external_id: str, name: str) -> Channel:
        """Find or create the channel."""
        row, created = await find_or_add(
            self.session, ChannelRow, {"workspace_id": workspace_id, "external_id": external_id},
            {"name": name, **_setting_columns(ChannelSettings())})
        if not created and name and name != external_id and row.name != name:
            row.name = name
        return _channel(row)

    async def get(self, channel_id: int) -> Channel | None:
        """A channel by id."""
        row = await self.session.get(ChannelRow, channel_id)
        return _channel(row) if row else None

    async def many(self, channel_ids: Collection[int]) -> dict[int, Channel]:
        """The channels with these ids that exist, by id."""
        if not channel_ids:
            return {}
        rows = await self.session.scalars(select(ChannelRow)
                                          .where(ChannelRow.id.in_(list(channel_ids))))
        return {r.id: _channel(r) for r in rows}

    async def in_workspace(self, workspace_id: int) -> list[Channel]:
        """Every channel of a workspace."""
        rows = await self.session.scalars(select(ChannelRow).filter_by(
            workspace_id=workspace_id).order_by(ChannelRow.id))
        return [_channel(r) for r in rows]

    async def save_settings(self, channel_id: int, settings: ChannelSettings) -> None:
        """Store settings and re-enable the channel."""
        await self.session.execute(update(ChannelRow).filter_by(id=channel_id)
                                   .values(disabled=None, **_setting_columns(settings)))

    async def set_due(self, channel_id: int, due: Due) -> None:
        """Store when the channel next has scheduled work."""
        await self.session.execute(update(ChannelRow).filter_by(id=channel_id).values(
            next_daily_at=due.daily, next_weekly_at=due.weekly, next_due_at=due.earliest))

    async def set_dues(self, dues: dict[int, Due]) -> None:
        """Store when each of these channels next has scheduled work, in one statement."""
        if dues:
            await self.session.execute(update(ChannelRow), [
                {"id": channel_id, "next_daily_at": due.daily, "next_weekly_at": due.weekly,
                 "next_due_at": due.earliest} for channel_id, due in dues.items()])

    async def claim_due(self, now: datetime, limit: int) -> list[Channel]:
        """Enabled channels of active workspaces whose next due instant has come, locked until
        commit; rows another pass holds are skipped, so passes running at once share the work.
        Each workspace's earliest due channel first, then each one's second, and so on: a
        workspace's posts go out a few a second, so every workspace should have its first
        posts queued before any has its last."""
        due = (ChannelRow.next_due_at <= now, ChannelRow.disabled.is_(None))
        turns = (select(ChannelRow.id, func.row_number().over(
                    partition_by=ChannelRow.workspace_id,
                    order_by=(ChannelRow.next_due_at, ChannelRow.id)).label("turn"))
                 .join(WorkspaceRow).where(*due, WorkspaceRow.active).subquery())
        # The conditions again on the locked rows: PostgreSQL rechecks them on a row that
        # another pass changed meanwhile.
        rows = await self.session.scalars(
            select(ChannelRow).join(turns, turns.c.id == ChannelRow.id).where(*due)
            .order_by(turns.c.turn, ChannelRow.next_due_at, ChannelRow.id).limit(limit)
            .with_for_update(of=ChannelRow, skip_locked=True))
        return [_channel(r) for r in rows]

    async def unplanned(self, limit: int) -> list[Channel]:
        """Channels with a schedule in their settings but no due instants stored yet."""
        rows = await self.session.scalars(
            select(ChannelRow).where(
                ChannelRow.next_due_at.is_(None), ChannelRow.disabled.is_(None),
                (ChannelRow.daily_time.is_not(None)) | (ChannelRow.weekly_day.is_not(None)))
            .order_by(ChannelRow.id).limit(limit).with_for_update(skip_locked=True))
        return [_channel(r) for r in rows]

    async def next_due_after(self, after: datetime) -> datetime | None:
        """The earliest due instant later than `after`, among channels that can post."""
        moment: datetime | None = await self.session.scalar(
            select(func.min(ChannelRow.next_due_at)).join(WorkspaceRow)
            .where(ChannelRow.next_due_at > after, ChannelRow.disabled.is_(None),
                   WorkspaceRow.active))
        return moment

    async def scheduled(self) -> list[Channel]:
        """Enabled channels of active workspaces with a daily question or weekly board."""
        rows = await self.session.scalars(
            select(ChannelRow).join(WorkspaceRow)
            .where(WorkspaceRow.active, ChannelRow.disabled.is_(None),
                   (ChannelRow.daily_time.is_not(None)) | (ChannelRow.weekly_day.is_not(None)))
            .order_by(ChannelRow.id))
        return [_channel(r) for r in rows]

    async def disable(self, channel_id: int, reason: str) -> None:
        """Stop a channel's schedule."""
        await self.session.execute(update(ChannelRow).filter_by(id=channel_id)
                                   .values(disabled=reason[:500]))


class SqlMembers:
    """Members table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure(self, workspace_id: int, external_id: str, name: str) -> Member:
        """Find or create; keep the display name fresh."""
        if self.session.get_bind().dialect.name == "postgresql":
            # One round trip, and no SAVEPOINT: a concurrent first arrival is an update here.
            connection = await self.session.connection()
            found = (await connection.exec_driver_sql(
                ENSURE_MEMBER_SQL, (workspace_id, external_id, name or external_id, name))).one()
            return Member(found.id, workspace_id, external_id, found.display_name)
        row, created = await find_or_add(
            self.session, MemberRow, {"workspace_id": workspace_id, "external_id": external_id},
            {"display_name": name or external_id})
        if not created and name and row.display_name != name:
            row.display_name = name
        return Member(row.id, row.workspace_id, row.external_id, row.display_name)

    async def get(self, member_id: int) -> Member | None:
        """A member by id."""
        row = await self.session.get(MemberRow, member_id)
        return Member(row.id, row.workspace_id, row.external_id, row.display_name) if row else None

    async def find(self, workspace_id: int, id_or_name: str) -> Member | None:
        """By platform id, else by display name (case-insensitive)."""
        row = await self.session.scalar(
            select(MemberRow).where(MemberRow.workspace_id == workspace_id)
            .where((MemberRow.external_id == id_or_name)
                   | (func.lower(MemberRow.display_name) == id_or_name.lower()))
            .order_by(MemberRow.id).limit(1))
        return Member(row.id, row.workspace_id, row.external_id, row.display_name) if row else None


async def channel_directory(session: AsyncSession) -> list[tuple[Workspace, Channel]]:
    """Every channel with its workspace, by workspace then channel name (`quizbot channels`)."""
    rows = await session.execute(
        select(WorkspaceRow, ChannelRow)
        .join(ChannelRow, ChannelRow.workspace_id == WorkspaceRow.id)
        .order_by(WorkspaceRow.platform, WorkspaceRow.name, ChannelRow.name, ChannelRow.id))
    return [(_workspace(workspace), _channel(channel)) for workspace, channel in rows]


# In PostgreSQL's own words: on the answer path, compiling a statement costs more than
# running it. A first arrival racing another is an update here, not an error.
ENSURE_MEMBER_SQL = """
INSERT INTO members (workspace_id, external_id, display_name) VALUES ($1, $2, $3)
ON CONFLICT (workspace_id, external_id)
DO UPDATE SET display_name = COALESCE(NULLIF($4, ''), members.display_name)
RETURNING id, display_name
"""
