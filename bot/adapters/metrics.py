"""Prometheus text for GET /metrics: a few gauges read from the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.orm import AnswerRow, ChannelRow, RoundRow, WorkspaceRow

GAUGES = {
    "quizbot_workspaces_active": ("Workspaces and guilds with the bot installed",
                                  select(func.count()).select_from(WorkspaceRow)
                                  .where(WorkspaceRow.active)),
    "quizbot_channels_scheduled": ("Channels with a daily question",
                                   select(func.count()).select_from(ChannelRow)
                                   .where(ChannelRow.daily_time.is_not(None),
                                          ChannelRow.disabled.is_(None))),
    "quizbot_channels_disabled": ("Channels whose schedule stopped because posting failed",
                                  select(func.count()).select_from(ChannelRow)
                                  .where(ChannelRow.disabled.is_not(None))),
    "quizbot_answers_total": ("Answers ever given",
                              select(func.count()).select_from(AnswerRow)),
}


async def render(engine: AsyncEngine, now: datetime) -> str:
    """The gauges in Prometheus' text exposition format."""
    lines: list[str] = []
    async with engine.connect() as connection:
        values = {name: await connection.scalar(query) for name, (_, query) in GAUGES.items()}
        values["quizbot_rounds_open"] = await connection.scalar(
            select(func.count()).select_from(RoundRow)
            .where(RoundRow.closed_at.is_(None), RoundRow.closes_at > now))
    helps = {name: text for name, (text, _) in GAUGES.items()}
    helps["quizbot_rounds_open"] = "Questions taking answers right now"
    for name, value in values.items():
        kind = "counter" if name.endswith("_total") else "gauge"
        lines += [f"# HELP {name} {helps[name]}", f"# TYPE {name} {kind}", f"{name} {value or 0}"]
    return "\n".join(lines) + "\n"
