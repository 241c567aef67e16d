"""A fake Slack Web API on 127.0.0.1: records every call, answers in Slack's documented shapes."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.platforms.limits import Buckets


@dataclass
class Call:
    """One Web API call as Slack would receive it."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Person:
    """A member of a fake workspace."""

    id: str
    team: str
    name: str
    admin: bool = False


@dataclass(frozen=True)
class SlackLimits:
    """chat.postMessage's limits as modelled. Slack documents about one message a second per
    channel (short bursts allowed) and a workspace-wide cap of "several hundred messages per
    minute" without a figure; the model takes the low end, 300 a minute, with one second's
    worth as the burst."""

    per_channel: float = 1.0  # messages a second to one channel
    per_workspace: float = 5.0  # messages a second to one workspace
    workspace_burst: int = 5

    def floor(self, channels_per_workspace: int) -> float:
        """Seconds until one message in each of a workspace's channels can have gone out."""
        return max(0, channels_per_workspace - self.workspace_burst) / self.per_workspace


def bot_token(team: str) -> str:
    """The bot token the fake hands out for a team."""
    return f"xoxb-{team}-bot"


class FakeSlack:
    """Web API methods under /api/, and response_url endpoints under /respond/."""

    def __init__(self, limits: SlackLimits | None = None) -> None:
        self.limits = limits  # None: no rate limits beyond what a test throttles
        self.refused = 0  # 429s sent because a limit was reached
        self.posts = 0  # messages posted
        self._channels = Buckets(limits.per_channel, 1) if limits else None
        self._workspaces = (Buckets(limits.per_workspace, limits.workspace_burst) if limits
                            else None)
        self.calls: list[Call] = []
        self.responses: list[tuple[str, dict[str, Any]]] = []
        self.people: dict[str, Person] = {}
        self.teams: dict[str, str] = {}  # team id → name
        self.gone_channels: dict[str, str] = {}  # channel → the error Slack gives
        self.deleted_messages: set[str] = set()  # ts of messages chat.update cannot find
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)  # channel → messages
        self._held: dict[str, deque[float]] = defaultdict(deque)
        self._throttled: dict[str, deque[int]] = defaultdict(deque)
        self._ts = 0
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        self._server = TestServer(app, host="127.0.0.1")

    async def start(self) -> None:
        """Listen on a random local port."""
        await self._server.start_server()

    async def close(self) -> None:
        """Stop listening."""
        await self._server.close()

    @property
    def root(self) -> str:
        """http://127.0.0.1:PORT"""
        return str(self._server.make_url("")).rstrip("/")

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL is set to."""
        return f"{self.root}/api/"

    def response_url(self, key: str) -> str:
        """A response_url for one interaction."""
        return f"{self.root}/respond/{key}"

    def add_team(self, team: str, name: str, *people: Person) -> None:
        """A workspace and its members."""
        self.teams[team] = name
        self.people.update({p.id: p for p in people})

    def throttle(self, method: str, retry_after: int, times: int = 1) -> None:
        """Answer the next calls of a method with 429 and Retry-After."""
        self._throttled[method].extend([retry_after] * times)

    def hold(self, method: str, seconds: float, times: int = 1) -> None:
        """Accept the next calls of a method at once but answer them only `seconds` later, as a
        slow Slack does: a caller that dies meanwhile never learns its post went out."""
        self._held[method].extend([seconds] * times)

    def posts_in(self, channel: str) -> list[dict[str, Any]]:
        """The messages a channel shows, oldest first."""
        return self.history[channel]

    def to(self, method: str) -> list[Call]:
        """The calls made to one method, in order."""
        return [c for c in self.calls if c.method == method]

    def responses_to(self, key: str) -> list[dict[str, Any]]:
        """What was sent to one interaction's response_url."""
        return [body for k, body in self.responses if k == key]

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Listeners answer after the ack; wait until what they send has arrived."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("the fake Slack never received what the test waited for")
            await asyncio.sleep(0.01)

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.append((request.match_info["key"], await request.json()))
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update(parse_qsl(await request.text()))
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        self.calls.append(Call(method, args, token))
        if self._throttled[method]:
            retry_after = self._throttled[method].popleft()
            return _ratelimited(retry_after)
        if method == "chat.postMessage" and (wait := self._limited(token, args)):
            self.refused += 1
            return _ratelimited(max(1, math.ceil(wait)))  # Slack says whole seconds
        answer = self._answer(method, args, token)
        if self._held[method]:
            await asyncio.sleep(self._held[method].popleft())
        return web.json_response(answer)

    def _limited(self, token: str | None, args: dict[str, Any]) -> float:
        """Seconds until a post may go, by channel and by workspace; 0.0 takes it now."""
        team = self._team_of(token)
        if self._channels is None or self._workspaces is None or team is None:
            return 0.0
        channel = f"{team}/{args.get('channel')}"
        wait = max(self._channels.wait(channel), self._workspaces.wait(team))
        if not wait:
            self._channels.take(channel)
            self._workspaces.take(team)
        return wait

    def _team_of(self, token: str | None) -> str | None:
        team = (token or "").removeprefix("xoxb-").removesuffix("-bot")
        return team if team in self.teams and token == bot_token(team) else None

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._oauth_access(args)
        team = self._team_of(token)
        if team is None:
            return {"ok": False, "error": "invalid_auth"}
        handler = {"auth.test": self._auth_test, "users.info": self._users_info,
                   "chat.postMessage": self._post, "chat.update": self._update,
                   "conversations.history": self._history,
                   "views.publish": self._publish,
                   "conversations.open": self._open_dm}.get(method)
        return handler(team, args) if handler else {"ok": True}

    def _oauth_access(self, args: dict[str, Any]) -> dict[str, Any]:
        team = str(args.get("code", "")).removeprefix("code-")
        if team not in self.teams:
            return {"ok": False, "error": "invalid_code"}
        return {"ok": True, "app_id": "A0QUIZ", "authed_user": {"id": "U0INSTALLER"},
                "scope": "commands,chat:write,chat:write.public,users:read,channels:history,"
                         "groups:history,im:write",
                "token_type": "bot", "access_token": bot_token(team),
                "bot_user_id": "U0BOT", "team": {"id": team, "name": self.teams[team]},
                "enterprise": None, "is_enterprise_install": False}

    def _auth_test(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"https://{team.lower()}.slack.com/", "team": self.teams[team],
                "user": "quizbot", "team_id": team, "user_id": "U0BOT", "bot_id": "B0BOT",
                "is_enterprise_install": False}

    def _users_info(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        person = self.people.get(str(args.get("user")))
        if person is None or person.team != team:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {
            "id": person.id, "team_id": team, "name": person.name.lower(),
            "real_name": person.name, "is_admin": person.admin, "is_owner": False,
            "is_primary_owner": False, "is_bot": False,
            "profile": {"display_name": person.name, "real_name": person.name}}}

    def _open_dm(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        """The bot's direct message with one person: channel D + their id."""
        return {"ok": True, "channel": {"id": f"D{args.get('users')}"}}

    def _post(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel"))
        if channel in self.gone_channels:
            return {"ok": False, "error": self.gone_channels[channel]}
        self._ts += 1
        self.posts += 1
        ts = f"{1_800_000_000 + self._ts}.000100"
        message = {"type": "message", "text": args.get("text"), "ts": ts,
                   "blocks": _blocks(args)}
        if args.get("metadata"):
            metadata = args["metadata"]
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        self.history[channel].append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _history(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; metadata only when asked for, as Slack does."""
        limit = int(args.get("limit") or 100)
        full = str(args.get("include_all_metadata")).lower() in ("true", "1")
        messages = [m if full else {k: v for k, v in m.items() if k != "metadata"}
                    for m in reversed(self.history[str(args.get("channel"))])]
        return {"ok": True, "messages": messages[:limit], "has_more": len(messages) > limit}

    def _update(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        if str(args.get("ts")) in self.deleted_messages:
            return {"ok": False, "error": "message_not_found"}
        for message in self.history[str(args.get("channel"))]:
            if message["ts"] == str(args.get("ts")):
                message.update(text=args.get("text"), blocks=_blocks(args), edited=True)
        return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"),
                "text": args.get("text"), "message": {"text": args.get("text"),
                                                      "blocks": _blocks(args)}}

    def _publish(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        return {"ok": True, "view": json.loads(view) if isinstance(view, str) else view}


def _ratelimited(retry_after: int) -> web.Response:
    return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                             headers={"Retry-After": str(retry_after)})


def _blocks(args: dict[str, Any]) -> list[Any]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)
