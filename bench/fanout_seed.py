"""The fan-out benchmark's tenants: workspaces, guilds and channels whose daily question is
due this minute, and a Slack installation per workspace (tokens come from the store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.fanout_worker import CLIENT_ID
from bot.adapters.orm import ChannelRow, WorkspaceRow
from bot.platforms.slack_app.installs import installation_store
from tests.platforms.slack.fake_slack import bot_token


@dataclass(frozen=True)
class Layout:
    """How many channels on each platform, and how Slack's are spread over workspaces."""

    channels: int
    per_workspace: int
    with_discord: bool = True  # False: Slack's channels only

    @property
    def workspaces(self) -> int:
        """Slack workspaces (and Discord guilds) holding the channels."""
        return -(-self.channels // self.per_workspace)

    def slack(self) -> dict[str, list[str]]:
        """Team id → its channel ids (unique across teams, as Slack's are)."""
        return {f"T{w:04d}": [f"C{w:04d}{c:05d}" for c in range(self._in(w))]
                for w in range(self.workspaces)}

    def discord(self) -> dict[str, list[str]]:
        """Guild id → its channel ids (snowflakes)."""
        if not self.with_discord:
            return {}
        base = 800_000_000_000_000_000
        return {str(base + w * 100_000): [str(base + w * 100_000 + 1 + c)
                                          for c in range(self._in(w))]
                for w in range(self.workspaces)}

    def _in(self, workspace: int) -> int:
        return min(self.per_workspace, self.channels - workspace * self.per_workspace)


def this_minute() -> datetime:
    """The start of the current UTC minute: when every daily question is due."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


async def seed(engine: AsyncEngine, layout: Layout, due: datetime) -> None:
    """Workspaces, channels due at `due` (every day, UTC, 8 h window), Slack installations."""
    rows: list[dict[str, object]] = []
    for platform, tenants in (("slack", layout.slack()), ("discord", layout.discord())):
        async with engine.begin() as db:
            for tenant, channels in tenants.items():
                workspace = (await db.execute(insert(WorkspaceRow).values(
                    platform=platform, external_id=tenant, name=tenant, active=True,
                    created_at=due).returning(WorkspaceRow.id))).scalar_one()
                rows.extend({"workspace_id": workspace, "external_id": c, "name": c,
                             "daily_time": f"{due:%H:%M}", "zone": "UTC", "days": "1111111",
                             "window_minutes": 480, "pop_window_minutes": 10, "topics": "",
                             "weekly_day": None, "weekly_time": "16:00",
                             "next_daily_at": due, "next_due_at": due} for c in channels)
    # Interleaved, as channels of both platforms come due together in a real install.
    half = len(rows) // 2
    mixed = ([row for pair in zip(rows[:half], rows[half:], strict=True) for row in pair]
             if layout.with_discord else rows)
    async with engine.begin() as db:
        for start in range(0, len(mixed), 5000):
            await db.execute(insert(ChannelRow), mixed[start:start + 5000])
    store = installation_store(CLIENT_ID, engine)
    for team in layout.slack():
        await store.async_save(Installation(
            app_id="A0QUIZ", team_id=team, team_name=team, bot_token=bot_token(team),
            bot_id="B0BOT", bot_user_id="U0BOT", bot_scopes="chat:write", user_id="U0ADMIN"))
