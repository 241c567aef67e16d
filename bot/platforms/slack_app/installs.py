"""Installing in many workspaces: OAuth settings, and stores in the bot's own database."""

from __future__ import annotations

import copy
import logging
from typing import TypeVar

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.token_cipher import TokenCipher
from bot.services.deps import Deps
from bot.services.workspaces import workspace_joined

log = logging.getLogger(__name__)
T = TypeVar("T", Installation, Bot)
PLATFORM = "slack"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600
# What the bot does: /quiz, posting (public channels without an invite too), reading who is admin.
# The history scopes let a retried post find its first try in the channel (see the poster);
# im:write opens the direct message a mock exam runs in.
SCOPES = ["commands", "chat:write", "chat:write.public", "users:read", "channels:history",
          "groups:history", "im:write"]


# The token fields of slack_sdk's Installation and Bot: what is encrypted at rest.
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's store, with every token sealed before it is written and opened when read."""

    def __init__(self, client_id: str, engine: AsyncEngine, cipher: TokenCipher) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.cipher = cipher

    async def async_save(self, installation: Installation) -> None:
        """Save with the tokens sealed."""
        await super().async_save(self._sealed(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        """Save with the tokens sealed."""
        await super().async_save_bot(self._sealed(bot))

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        """Find, with the tokens opened."""
        found = await super().async_find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                             is_enterprise_install=is_enterprise_install)
        return self._opened(found)

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False
                                      ) -> Installation | None:
        """Find, with the tokens opened."""
        found = await super().async_find_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
            is_enterprise_install=is_enterprise_install)
        return self._opened(found)

    def _sealed(self, entity: T) -> T:
        copied = copy.copy(entity)
        for name in TOKEN_FIELDS:
            if hasattr(copied, name):
                setattr(copied, name, self.cipher.seal(getattr(copied, name)))
        return copied

    def _opened(self, entity: T | None) -> T | None:
        if entity is None:
            return None
        for name in TOKEN_FIELDS:
            if hasattr(entity, name):
                setattr(entity, name, self.cipher.open(getattr(entity, name)))
        return entity


class StoreTokens:
    """Bot tokens from the installation store, one per installed workspace."""

    def __init__(self, store: EncryptedInstallationStore) -> None:
        self._store = store

    async def bot_token(self, team_id: str) -> str | None:
        """The latest bot token of the workspace, or None when it is not installed.

        The store's own lookup also matches the Enterprise Grid org, which the quiz does not
        know when it posts; a team id is unique across orgs, so it alone finds the bot.
        """
        bots = self._store.bots.c
        query = (select(bots.bot_token)
                 .where(bots.client_id == self._store.client_id, bots.team_id == team_id,
                        bots.bot_token.is_not(None))
                 .order_by(bots.installed_at.desc()).limit(1))
        async with self._store.engine.connect() as connection:
            token = await connection.scalar(query)
        return self._store.cipher.open(str(token)) if token is not None else None


def installation_store(client_id: str, engine: AsyncEngine,
                       cipher: TokenCipher | None = None) -> EncryptedInstallationStore:
    """slack_sdk's installation store on the bot's engine, tokens sealed with `cipher`;
    Alembic made its tables."""
    return EncryptedInstallationStore(client_id, engine, cipher or TokenCipher([]))


def oauth_settings(client_id: str, client_secret: str, engine: AsyncEngine,
                   store: AsyncInstallationStore, deps: Deps) -> AsyncOAuthSettings:
    """OAuth v2 at /slack/install and /slack/oauth_redirect; a finished install joins the quiz."""

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        team = installation.team_id or installation.enterprise_id or ""
        await workspace_joined(deps, PLATFORM, team, installation.team_name or team)
        log.info("installed in Slack workspace %s (%s)", installation.team_name, team)
        return await args.default.success(args)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        log.warning("a Slack install failed: %s", args.reason)
        return await args.default.failure(args)

    return AsyncOAuthSettings(
        client_id=client_id, client_secret=client_secret, scopes=SCOPES,
        install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH,
        installation_store=store,
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS,
                                                   engine=engine),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=AsyncCallbackOptions(success=success, failure=failure),
    )
