"""Prometheus metrics for GET /metrics, from prometheus-client: what this process measured
(reply latency, posts by outcome, 429s) and a few gauges read from the database per scrape
(scheduling lag, outbox depth, installs) in one statement."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.orm import ChannelRow, DeliveryRow, RoundRow, WorkspaceRow

# Slack and Discord both want an answer within 3 s: buckets around that line.
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0, 10.0)


class Metrics:
    """One process's metrics, in a registry of its own (nothing is registered at import)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.reply_seconds = Histogram(
            "quizbot_reply_seconds", "From a click or command reaching the bot to its answer",
            ["platform"], buckets=REPLY_BUCKETS, registry=r)
        self.posts = Counter("quizbot_posts", "Posts sent to a platform, by outcome",
                             ["platform", "outcome"], registry=r)
        self.rate_limited = Counter("quizbot_rate_limited",
                                    "Platform answers of 429 Too Many Requests", ["platform"],
                                    registry=r)
        self.schedule_lag = Gauge("quizbot_schedule_lag_seconds",
                                  "How long the most overdue channel has waited for its "
                                  "scheduling pass (0 when none is due)", registry=r)
        self.outbox_depth = Gauge("quizbot_outbox_depth", "Posts due and not yet sent",
                                  registry=r)
        self.workspaces = Gauge("quizbot_workspaces_active",
                                "Workspaces and guilds with the bot installed", registry=r)
        self.scheduled = Gauge("quizbot_channels_scheduled", "Channels with a daily question",
                               registry=r)
        self.disabled = Gauge("quizbot_channels_disabled",
                              "Channels whose schedule stopped because posting failed",
                              registry=r)
        self.rounds_open = Gauge("quizbot_rounds_open", "Questions taking answers right now",
                                 registry=r)

    def replied(self, platform: str, seconds: float) -> None:
        """A click or command was answered after `seconds`."""
        self.reply_seconds.labels(platform).observe(seconds)

    def posted(self, platform: str, outcome: str) -> None:
        """A post went out ("posted") or did not ("failed")."""
        self.posts.labels(platform, outcome).inc()

    def limited(self, platform: str) -> None:
        """The platform answered 429."""
        self.rate_limited.labels(platform).inc()

    async def refresh(self, engine: AsyncEngine, now: datetime) -> None:
        """Read the gauges that live in the database, in one round trip."""
        def count(table: Any, *where: Any) -> Any:
            return select(func.count()).select_from(table).where(*where).scalar_subquery()

        query = select(
            select(func.min(ChannelRow.next_due_at))
            .where(ChannelRow.next_due_at <= now).scalar_subquery(),
            count(DeliveryRow, DeliveryRow.status == "pending", DeliveryRow.not_before <= now),
            count(WorkspaceRow, WorkspaceRow.active),
            count(ChannelRow, ChannelRow.daily_time.is_not(None), ChannelRow.disabled.is_(None)),
            count(ChannelRow, ChannelRow.disabled.is_not(None)),
            count(RoundRow, RoundRow.closed_at.is_(None), RoundRow.closes_at > now))
        async with engine.connect() as connection:
            row = (await connection.execute(query)).one()
        oldest_due, depth, workspaces, scheduled, disabled, rounds_open = row
        self.schedule_lag.set(_seconds_since(oldest_due, now))
        for gauge, value in ((self.outbox_depth, depth), (self.workspaces, workspaces),
                             (self.scheduled, scheduled), (self.disabled, disabled),
                             (self.rounds_open, rounds_open)):
            gauge.set(value or 0)

    def render(self) -> bytes:
        """The Prometheus text exposition of everything above."""
        return generate_latest(self.registry)


class RateLimitCounter(logging.Filter):
    """discord.py waits out a 429 by itself and only logs it; count those log lines."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self.metrics = metrics

    def filter(self, record: logging.LogRecord) -> bool:
        """Count, and let the line through."""
        if "responded with 429" in str(record.msg):
            self.metrics.limited("discord")
        return True


def _seconds_since(then: datetime | None, now: datetime) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None:  # SQLite hands naive datetimes back
        then = then.replace(tzinfo=now.tzinfo)
    return max(0.0, (now - then).total_seconds())
