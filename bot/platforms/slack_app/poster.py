"""Post questions, reveals and boards to Slack channels on the scheduler's behalf."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.channel import Target
from bot.domain.ports import ChannelGone, PostKey, WorkspaceGone
from bot.domain.views import BoardView, QuestionView, RevealView
from bot.platforms.slack_app.posting_call import post_message
from bot.platforms.slack_app.replies import reply_for

# Errors after which posting to the channel can never work until someone acts in Slack.
GONE_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived",
                         "restricted_action", "restricted_action_read_only_channel",
                         "restricted_action_thread_only_channel"})
# Errors that mean the app is no longer installed in the workspace (an uninstall we missed).
UNINSTALLED_ERRORS = frozenset({"account_inactive", "token_revoked", "invalid_auth"})
# chat.update cannot edit the question any more (someone deleted it): post the reveal anew.
UNEDITABLE_ERRORS = frozenset({"message_not_found", "cant_update_message"})
PER_CHANNEL_SPACING = 1.0  # chat.postMessage allows about one message per second per channel
# ... and "several hundred messages per minute" per workspace, with no exact figure: posts to
# one workspace go out at the low end of that, 300 a minute, so that a fan-out to many of its
# channels does not run into 429s (each costs its post a whole second of Retry-After). The
# deliverer keeps that rate through its claims; a poster given a workspace spacing keeps it
# too (a 429 then holds the workspace's next posts while it is waited out).
PER_WORKSPACE_SPACING = 0.2
TOKENS_KEPT_FOR = 60.0  # seconds; a token Slack refuses is looked up again at once
TOKENS_KEPT = 1024  # past this many, expired ones are dropped
# Every post carries message metadata naming it, so a second try can find the first in the
# channel's recent history instead of posting a copy.
METADATA_EVENT = "quizbot_post"
HISTORY_LOOKBACK = 100
log = logging.getLogger(__name__)
T = TypeVar("T")


class TokenSource(Protocol):
    """Finds the bot token of a workspace."""

    async def bot_token(self, team_id: str) -> str | None:
        """The workspace's bot token, or None when the app is not installed there."""
        ...


class FixedToken:
    """One workspace, one token (SLACK_BOT_TOKEN)."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def bot_token(self, team_id: str) -> str | None:
        """The same token for whatever team asks."""
        return self._token


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # calls waiting or running
    last: float = -1e9  # when the last call ended


class _Pace:
    """Keeps calls under one key (a channel, a workspace) at least `spacing` seconds apart, in
    order. A key is remembered only while a call waits or runs, or within `spacing` of its
    last one: memory follows the posts in flight, not every channel ever posted to."""

    def __init__(self, spacing: float, monotonic: Callable[[], float]) -> None:
        # Apart from the end of the last call: what one channel's order needs, and a rate
        # that holds however late a call reaches the platform.
        self._spacing, self._monotonic = spacing, monotonic
        self._slots: dict[str, _Slot] = {}
        self._idle: deque[tuple[float, str]] = deque()  # (forgettable from, key), in order

    def __len__(self) -> int:
        return len(self._slots)

    async def call(self, key: str, work: Callable[[], Awaitable[T]]) -> T:
        self._forget_idle()
        slot = self._slots.setdefault(key, _Slot())
        slot.users += 1
        try:
            async with slot.lock:
                # asyncio may run a timer a little early: sleep until the spacing has passed
                while (wait := slot.last + self._spacing - self._monotonic()) > 0:
                    await asyncio.sleep(wait)
                try:
                    return await work()
                finally:
                    slot.last = self._monotonic()
        finally:
            slot.users -= 1
            if not slot.users:
                self._idle.append((slot.last + self._spacing, key))

    def _forget_idle(self) -> None:
        now = self._monotonic()
        while self._idle and self._idle[0][0] <= now:
            _, key = self._idle.popleft()
            slot = self._slots.get(key)
            if slot is not None and not slot.users and slot.last + self._spacing <= now:
                del self._slots[key]


class _Remembered:
    """Bot tokens by workspace for a while: a fan-out posts to one workspace a hundred times in
    a row, and each lookup is a query. Entries expire, so memory follows recent workspaces."""

    def __init__(self, keep_for: float, monotonic: Callable[[], float]) -> None:
        self._keep_for, self._monotonic = keep_for, monotonic
        self._tokens: dict[str, tuple[str, float]] = {}

    def get(self, workspace: str) -> str | None:
        found = self._tokens.get(workspace)
        if found is None or found[1] <= self._monotonic():
            return None
        return found[0]

    def put(self, workspace: str, token: str) -> None:
        now = self._monotonic()
        if len(self._tokens) >= TOKENS_KEPT:
            self._tokens = {w: t for w, t in self._tokens.items() if t[1] > now}
        self._tokens[workspace] = (token, now + self._keep_for)

    def forget(self, workspace: str) -> None:
        self._tokens.pop(workspace, None)


class SlackPoster:
    """A Poster for Slack; 429s are retried after Retry-After by the client's retry handler,
    but a caller that paces each workspace's posts (no `workspace_spacing`) is handed a
    refused post back (RateLimited) to give it a turn of its own."""

    def __init__(self, client: AsyncWebClient, tokens: TokenSource,
                 spacing: float = PER_CHANNEL_SPACING,
                 monotonic: Callable[[], float] = time.monotonic,
                 workspace_spacing: float = PER_WORKSPACE_SPACING) -> None:
        self._client, self._tokens = client, tokens
        self._remembered = _Remembered(TOKENS_KEPT_FOR, monotonic)
        self._channels = _Pace(spacing, monotonic)
        # 0: the caller paces each workspace's posts (the deliverer's claims reserve their
        # starts); pacing them here as well would only queue each behind the one before.
        self._workspaces = _Pace(workspace_spacing, monotonic) if workspace_spacing > 0 else None

    async def close(self) -> None:
        """Close the HTTP session the posts went through."""
        if self._client.session is not None:
            await self._client.session.close()
            self._client.session = None

    @property
    def paced_channels(self) -> int:
        """How many channels the pacing remembers: those posted to within the spacing."""
        return len(self._channels)

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Post a question with its buttons; the message's ts is the reference to edit later."""
        return await self._post(target, view, key)

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Edit the question's message into the reveal (or post it when there is no message)."""
        if message_ref is None:
            await self._post(target, view, key)
            return
        reply = reply_for(view)
        try:
            await self._call(target, "chat_update", channel=target.channel, ts=message_ref,
                             text=reply.text, blocks=reply.blocks)
        except SlackApiError as error:
            if error.response.get("error") not in UNEDITABLE_ERRORS:
                raise
            await self._post(target, view, key)

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Post the weekly leaderboard."""
        return await self._post(target, view, key)

    async def _post(self, target: Target, view: QuestionView | RevealView | BoardView,
                    key: PostKey | None) -> str:
        if key is not None and key.retry and (found := await self._find(target, key)):
            log.info("%s reached the channel on an earlier try; not posting it again",
                     key.name)
            return found
        reply = reply_for(view)
        extra = {} if key is None else {
            "metadata": {"event_type": METADATA_EVENT, "event_payload": {"post": key.name}}}
        response = await self._call(target, "chat_postMessage", channel=target.channel,
                                    text=reply.text, blocks=reply.blocks, **extra)
        return str(response["ts"])

    async def _find(self, target: Target, key: PostKey) -> str | None:
        """The ts of a message of ours in the channel's recent history that names the post."""
        try:
            response = await self._call(target, "conversations_history", channel=target.channel,
                                        limit=HISTORY_LOOKBACK, include_all_metadata=True)
        except SlackApiError as error:  # no history scope or access: posting is all we can do
            log.info("cannot look for an earlier try of %s: %s", key.name,
                     error.response.get("error"))
            return None
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (metadata.get("event_type") == METADATA_EVENT
                    and (metadata.get("event_payload") or {}).get("post") == key.name):
                return str(message["ts"])
        return None

    async def _call(self, target: Target, method: str, **arguments: Any) -> Any:
        remembered = self._remembered.get(target.workspace)
        try:
            return await self._call_with(target, method, remembered, arguments)
        except WorkspaceGone:
            if remembered is None:
                raise
            # The remembered token may predate a reinstall: ask the store before giving up.
            return await self._call_with(target, method, None, arguments)

    async def _call_with(self, target: Target, method: str, token: str | None,
                         arguments: dict[str, Any]) -> Any:
        if token is None:
            token = await self._tokens.bot_token(target.workspace)
            if token is None:
                raise WorkspaceGone(
                    f"the app is not installed in Slack workspace {target.workspace}")
            self._remembered.put(target.workspace, token)
        if self._client.session is None:
            # Without a session of its own, slack_sdk opens one, and a new connection, for
            # every call: a fan-out to thousands of channels would pay a handshake per post.
            self._client.session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._client.timeout))
        api, session = getattr(self._client, method), self._client.session

        async def call() -> Any:
            if method == "chat_postMessage":  # the fan-out's call: the lean way
                # A caller that paces the workspaces gives a refused post a turn of its own.
                return await post_message(self._client, session, token, arguments,
                                          hand_back_limits=self._workspaces is None)
            return await api(token=token, **arguments)

        async def post() -> Any:
            if self._workspaces is None:
                return await call()
            return await self._workspaces.call(target.workspace, call)

        try:
            return await self._channels.call(f"{target.workspace}/{target.channel}",
                                             post if method == "chat_postMessage" else call)
        except SlackApiError as error:
            code = error.response.get("error")
            if code in GONE_ERRORS:
                raise ChannelGone(f"Slack said {code} for channel {target.channel}") from error
            if code in UNINSTALLED_ERRORS:
                self._remembered.forget(target.workspace)
                raise WorkspaceGone(f"Slack said {code} for workspace {target.workspace}") \
                    from error
            raise
