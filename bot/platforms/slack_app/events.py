"""Workspace events: the App Home tab, and the app being uninstalled or its tokens revoked."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack_app.admins import People
from bot.platforms.slack_app.panels import home_view
from bot.platforms.slack_app.payloads import PLATFORM, Body
from bot.services.deps import Deps
from bot.services.home import member_home
from bot.services.workspaces import workspace_left

log = logging.getLogger(__name__)
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")  # the manifest's bot_events


class WorkspaceEvents:
    """App Home, app_uninstalled and tokens_revoked."""

    def __init__(self, deps: Deps, people: People,
                 store: AsyncInstallationStore | None) -> None:
        self.deps, self.people = deps, people
        self.revocations = AsyncTokenRevocationListeners(store) if store is not None else None

    def register(self, app: AsyncApp) -> None:
        """Listen for the events the manifest subscribes to."""
        home, uninstalled, revoked = EVENTS
        app.event(home)(self.on_home_opened)
        app.event(uninstalled)(self.on_uninstalled)
        app.event(revoked)(self.on_tokens_revoked)

    async def on_home_opened(self, body: Body, event: dict[str, Any],
                             client: AsyncWebClient) -> None:
        """Publish the member's own stats and the channels' schedules to their Home tab."""
        if event.get("tab", "home") != "home":
            return
        team_id, user_id = body.get("team_id", ""), event.get("user", "")
        who = await self.people.who(client, team_id, user_id)
        home = await member_home(self.deps, PLATFORM, team_id, who)
        await client.views_publish(user_id=user_id, view=home_view(home))

    async def on_uninstalled(self, body: Body, context: AsyncBoltContext) -> None:
        """The app was removed: forget its tokens, then stop the workspace's schedules."""
        if self.revocations is not None:
            await self.revocations.handle_app_uninstalled_events(context)
        await self._left(body.get("team_id", ""), "app_uninstalled")

    async def on_tokens_revoked(self, body: Body, event: dict[str, Any],
                                context: AsyncBoltContext) -> None:
        """Revoked bot tokens mean the bot can no longer post there: same as an uninstall."""
        # Tokens go first, so that once the workspace shows as gone nothing holds a token.
        if self.revocations is not None:
            await self.revocations.handle_tokens_revoked_events(event, context)
        if (event.get("tokens") or {}).get("bot"):
            await self._left(body.get("team_id", ""), "tokens_revoked")

    async def _left(self, team_id: str, why: str) -> None:
        known = await workspace_left(self.deps, PLATFORM, team_id)
        self.people.forget(team_id)
        log.warning("Slack workspace %s: %s; its schedules are stopped%s", team_id, why,
                    "" if known else " (it never played)")
