"""The table of `quizbot channels`: where the bot plays, on what schedule, and whether it runs."""

from __future__ import annotations

from rich import box
from rich.table import Table

from bot.domain.channel import Channel
from bot.domain.model import Workspace
from bot.domain.schedule import DAY_NAMES, describe_days


def schedule_of(channel: Channel) -> str:
    """'daily 09:30 Europe/Berlin mon-fri · weekly fri 16:00', or 'none'."""
    s = channel.settings
    parts = []
    if s.daily_time is not None:
        parts.append(f"daily {s.daily_time:%H:%M} {s.zone} {describe_days(s.days)}")
    if s.weekly_day is not None:
        parts.append(f"weekly {DAY_NAMES[s.weekly_day]} {s.weekly_time:%H:%M}")
    return " · ".join(parts) or "none"


def status_of(workspace: Workspace, channel: Channel) -> str:
    """'active', 'paused: <why>' or 'workspace gone'."""
    if not workspace.active:
        return "workspace gone"
    if channel.disabled:
        return f"paused: {channel.disabled}"
    return "active"


def channels_table(listed: list[tuple[Workspace, Channel]]) -> Table:
    """One row per channel: workspace, channel (name and id, which `schedule preview` takes)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("workspace", "channel", "schedule", "status"):
        table.add_column(column)
    for workspace, channel in listed:
        table.add_row(f"{workspace.platform} {workspace.name or workspace.external_id}",
                      f"#{channel.name} ({channel.external_id})", schedule_of(channel),
                      status_of(workspace, channel))
    return table
