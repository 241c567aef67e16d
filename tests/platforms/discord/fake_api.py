"""A local fake of Discord's REST API (aiohttp, 127.0.0.1, random port) that records every call.

It answers in Discord's documented shapes (users, applications, commands, messages, interaction
callbacks and webhooks) so discord.py's own HTTP client talks to it as to Discord. A minimal
gateway websocket (HELLO, IDENTIFY → READY, heartbeats, dispatches) lets `quizbot run` connect.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.platforms.limits import Buckets

APP_ID = 900000000000000001  # a bot user's id is its application's id
OWNER_ID = 900000000000000002
EPHEMERAL = 64
BOT_USER = {"id": str(APP_ID), "username": "quizbot", "discriminator": "0", "global_name": None,
            "avatar": None, "bot": True, "verified": True, "flags": 0, "mfa_enabled": False}


@dataclass(frozen=True)
class DiscordLimits:
    """Discord's documented limits: 50 requests a second per bot across all routes
    (interactions exempt), and creating messages 5 per 5 seconds per channel."""

    global_rate: float = 50.0
    global_burst: int = 50
    channel_messages: int = 5  # per 5 seconds

    def floor(self, requests: int) -> float:
        """Seconds until `requests` requests by one bot can all have been accepted."""
        return max(0, requests - self.global_burst) / self.global_rate


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    body: Any
    query: dict[str, str]


@dataclass
class Failure:
    """A canned error for the next matching request(s)."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeDiscord:
    """Discord's REST API as far as the bot uses it, with a record of every call."""

    def __init__(self, limits: DiscordLimits | None = None) -> None:
        self.limits = limits  # None: no rate limits beyond the canned failures
        self.refused = 0  # 429s sent because a limit was reached
        self._global = Buckets(limits.global_rate, limits.global_burst) if limits else None
        self._channels = (Buckets(limits.channel_messages / 5, limits.channel_messages)
                          if limits else None)
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self._nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self.failures: dict[tuple[str, str], list[Failure]] = {}
        self.answers: dict[str, dict[str, Any]] = {}  # interaction token → final reply
        self._ids = itertools.count(1_100_000_000_000_000_000)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = 0
        self.sessions: dict[int, int] = {}  # shard → gateway sessions open now
        self.most_sessions: dict[int, int] = {}  # shard → most sessions ever open at once
        self.url = ""
        self.gateway_url = ""

    # -- control ------------------------------------------------------------------------------

    async def start(self) -> str:
        """Serve on a random local port; return the API base URL (what DISCORD_API_URL takes)."""
        app = web.Application(middlewares=[self._record])
        app.router.add_route("*", "/api/v10/{path:.*}", self._route)
        app.router.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/api/v10"
        self.gateway_url = f"ws://127.0.0.1:{port}/gateway"
        return self.url

    async def close(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    def fail(self, method: str, path: str, status: int, body: dict[str, Any],
             headers: dict[str, str] | None = None, times: int = 1) -> None:
        """Answer the next `times` requests to `path` with an error instead."""
        queue = self.failures.setdefault((method, path), [])
        queue.extend(Failure(status, body, headers or {}) for _ in range(times))

    def rate_limit(self, method: str, path: str, retry_after: float = 0.05) -> None:
        """A 429 as Discord sends it: JSON retry_after plus the rate-limit headers."""
        self.fail(method, path, 429, {"message": "You are being rate limited.",
                                      "retry_after": retry_after, "global": False},
                  {"Via": "1.1 google", "X-RateLimit-Limit": "5",
                   "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(retry_after),
                   "X-RateLimit-Bucket": "fake-bucket", "X-RateLimit-Scope": "user"})

    def snowflake(self) -> str:
        """A fresh id."""
        return str(next(self._ids))

    def to(self, method: str, prefix: str) -> list[Call]:
        """The calls with this method whose path starts with `prefix`."""
        return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    async def wait_for(self, found: Callable[[], Any], timeout: float = 10) -> Any:
        """Wait until `found()` returns something truthy; return it."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(found), timeout)
        return found()

    async def reply_to(self, token: str) -> dict[str, Any]:
        """The message an interaction was finally answered with (response or follow-up).

        "how" says how: 4 a message response, 8 autocomplete choices, "followup" after a defer.
        """

        def final() -> dict[str, Any] | None:
            return self.answers.get(token)

        reply: dict[str, Any] = await self.wait_for(final)
        return reply

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event (op 0) to every connected client."""
        for socket in list(self._sockets):
            self._sequence += 1
            await socket.send_json({"op": 0, "t": event, "s": self._sequence, "d": data})

    def identified(self, shard: int) -> int:
        """How many times a client identified for this shard."""
        return sum(1 for c in self.to("WS", "gateway/op2")
                   if (c.body.get("shard") or [0, 1])[0] == shard)

    def _opened(self, shard: int) -> None:
        self.sessions[shard] = self.sessions.get(shard, 0) + 1
        self.most_sessions[shard] = max(self.most_sessions.get(shard, 0), self.sessions[shard])

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45_000}, "s": None,
                                "t": None})
        identified: int | None = None
        async for frame in socket:
            sent = json.loads(frame.data)
            self.calls.append(Call("WS", f"gateway/op{sent['op']}", sent.get("d"), {}))
            if sent["op"] == 1:
                await socket.send_json({"op": 11})
            elif sent["op"] == 2:
                shard = (sent["d"].get("shard") or [0, 1])[0]
                self._opened(shard)
                identified = shard
                self._sockets.append(socket)
                self._sequence += 1  # READY goes to the session that identified, no other
                await socket.send_json({"op": 0, "t": "READY", "s": self._sequence, "d": {
                    "v": 10, "user": BOT_USER, "guilds": [], "session_id": "fake-session",
                    "resume_gateway_url": self.gateway_url, "shard": sent["d"].get("shard"),
                    "application": {"id": str(APP_ID), "flags": 0}}})
            async with self._changed:
                self._changed.notify_all()
        if socket in self._sockets:
            self._sockets.remove(socket)
        if identified is not None:
            self.sessions[identified] -= 1
        async with self._changed:
            self._changed.notify_all()
        return socket

    # -- serving ------------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.match_info.get("path", "")
        body = await _body(request)
        failures = self.failures.get((request.method, path))
        try:
            if failures:
                failure = failures.pop(0)
                return _json(failure.body, status=failure.status,
                                         headers=failure.headers)
            if "path" in request.match_info and (refused := self._limited(request, path)):
                self.refused += 1
                return refused
            response: web.StreamResponse = await handler(request)
            if self._channels is not None and (channel := _message_channel(request, path)):
                response.headers.update(self._bucket_headers(channel))
            return response
        finally:
            self.calls.append(Call(request.method, path, body, dict(request.query)))
            async with self._changed:
                self._changed.notify_all()

    def _limited(self, request: web.Request, path: str) -> web.Response | None:
        """A 429 as Discord sends it when a limit is reached, else None (the request counts)."""
        if self._global is None or self._channels is None or path.startswith(
                ("interactions/", "webhooks/")):  # interactions are outside the global limit
            return None
        bot = request.headers.get("Authorization", "")
        channel = _message_channel(request, path)
        if wait := self._global.wait(bot):
            return _rate_limited(wait, is_global=True)
        if channel and (wait := self._channels.wait(channel)):
            return _rate_limited(wait, is_global=False)
        self._global.take(bot)
        if channel:
            self._channels.take(channel)
        return None

    def _bucket_headers(self, channel: str) -> dict[str, str]:
        """The per-route headers discord.py reads to pace a bucket by itself."""
        assert self.limits is not None and self._channels is not None
        remaining = self._channels.remaining(channel)
        reset_after = (self.limits.channel_messages - remaining) * 5 / self.limits.channel_messages
        return {"X-RateLimit-Limit": str(self.limits.channel_messages),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": "messages-create", "X-RateLimit-Scope": "user"}

    async def _route(self, request: web.Request) -> web.StreamResponse:
        parts = request.match_info["path"].split("/")
        body = await _body(request)
        match request.method, parts:
            case "GET", ["users", "@me"]:
                return _json(BOT_USER)
            case "GET", ["oauth2", "applications", "@me"]:
                return _json(self.application())
            case "GET", ["applications", _, "commands"]:
                return _json(self.commands.get(None, []))
            case "GET", ["applications", _, "guilds", guild, "commands"]:
                return _json(self.commands.get(guild, []))
            case "PUT", ["applications", _, "commands"]:
                return _json(self._register(None, body))
            case "PUT", ["applications", _, "guilds", guild, "commands"]:
                return _json(self._register(guild, body))
            case "POST", ["channels", channel, "messages"]:
                return _json(self._enforced(channel, body) or self._message(channel, body))
            case "PATCH", ["channels", channel, "messages", message_id]:
                return self._edit(message_id, body)
            case "POST", ["interactions", interaction_id, token, "callback"]:
                return _json(self._callback(interaction_id, token, body))
            case "POST", ["webhooks", _, token]:
                return _json(self._followup(token, body))
            case "PATCH", ["webhooks", _, token, "messages", _]:
                return _json(self._followup(token, body))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def application(self) -> dict[str, Any]:
        """GET /oauth2/applications/@me."""
        owner = {"id": str(OWNER_ID), "username": "owner", "discriminator": "0",
                 "global_name": "Owner", "avatar": None}
        return {"id": str(APP_ID), "name": "quizbot", "icon": None, "description": "",
                "bot_public": True, "bot_require_code_grant": False, "owner": owner,
                "verify_key": "0" * 64, "flags": 0, "team": None}

    def _register(self, guild: str | None, commands: list[dict[str, Any]]
                  ) -> list[dict[str, Any]]:
        # Like Discord: ids and versions added, options with default values left out.
        stored = [{**_discord_shape(c), "id": self.snowflake(), "application_id": str(APP_ID),
                   "version": self.snowflake(), "guild_id": guild} for c in commands]
        self.commands[guild] = stored
        return stored

    def _message(self, channel_id: str, body: dict[str, Any], flags: int = 0) -> dict[str, Any]:
        message = {
            "id": self.snowflake(), "channel_id": channel_id, "author": BOT_USER,
            "content": body.get("content") or "", "timestamp": "2027-03-26T09:00:00+00:00",
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "embeds": body.get("embeds") or [],
            "attachments": [{"id": self.snowflake(), "filename": name, "size": 1,
                             "url": f"https://cdn.example/{name}",
                             "proxy_url": f"https://cdn.example/{name}"}
                            for name in body.get("uploaded") or []],
            "pinned": False, "type": 0, "flags": body.get("flags", flags),
            "components": body.get("components") or [],
        }
        if body.get("nonce"):
            message["nonce"] = body["nonce"]
            self._nonces[(channel_id, body["nonce"])] = message
        self.messages[message["id"]] = message
        return message

    def _enforced(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """With enforce_nonce, Discord answers a nonce it saw lately with the first message."""
        if not (body.get("enforce_nonce") and body.get("nonce")):
            return None
        return self._nonces.get((channel_id, body["nonce"]))

    def _edit(self, message_id: str, body: dict[str, Any]) -> web.Response:
        message = self.messages.get(message_id)
        if message is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        message.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
        message["edited_timestamp"] = "2027-03-26T17:00:00+00:00"
        return _json(message)

    def _followup(self, token: str, body: dict[str, Any]) -> dict[str, Any]:
        message = self._message("0", body)
        self.answers[token] = {**message, "how": "followup"}
        return message

    def _callback(self, interaction_id: str, token: str, body: dict[str, Any]
                  ) -> dict[str, Any]:
        kind, data = body["type"], body.get("data") or {}
        ephemeral = bool(data.get("flags", 0) & EPHEMERAL)
        answer: dict[str, Any] = {"interaction": {
            "id": interaction_id, "type": 2, "response_message_loading": kind == 5,
            "response_message_ephemeral": ephemeral}}
        if kind in (4, 5):
            message = self._message("0", data if kind == 4 else {"flags": data.get("flags", 0)})
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
            if kind == 4:
                self.answers[token] = {**message, "how": kind}
        else:
            answer["resource"] = {"type": kind}
            self.answers[token] = {**data, "how": kind}
        return answer


async def _body(request: web.Request) -> Any:
    if request.content_type.startswith("multipart/"):
        # A message with files: its JSON rides in payload_json; the files' names are noted.
        form = await request.post()
        body = json.loads(str(form["payload_json"]))
        uploaded = sorted(getattr(f, "filename", "") for k, f in form.items()
                          if k.startswith("files["))
        body["uploaded"] = uploaded
        if isinstance(body.get("data"), dict):  # an interaction response carries a message
            body["data"]["uploaded"] = uploaded
        return body
    raw = await request.read()  # aiohttp keeps the bytes, so the handler can read them again
    return json.loads(raw) if raw else None


def _message_channel(request: web.Request, path: str) -> str | None:
    """The channel of a create-message request, whose bucket is per channel."""
    parts = path.split("/")
    if request.method == "POST" and len(parts) == 3 and parts[::2] == ["channels", "messages"]:
        return parts[1]
    return None


def _rate_limited(retry_after: float, is_global: bool) -> web.Response:
    """Discord's 429: retry_after in the body and headers, Via from its proxy."""
    headers = {"Via": "1.1 google", "Retry-After": str(math.ceil(retry_after)),
               "X-RateLimit-Scope": "global" if is_global else "user"}
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    return _json({"message": "You are being rate limited.", "retry_after": round(retry_after, 3),
                  "global": is_global, "code": 0}, status=429, headers=headers)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Discord's exact content type (discord.py checks it to decide to parse)."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


def _discord_shape(command: dict[str, Any]) -> dict[str, Any]:
    """Leave out what Discord leaves out of a stored command: false `required`, empty lists."""
    shaped = {k: v for k, v in command.items() if v not in ([], None) or k == "options"}
    shaped.setdefault("default_member_permissions", None)
    shaped.setdefault("dm_permission", True)
    shaped["options"] = [_option_shape(o) for o in command.get("options", [])]
    return shaped


def _option_shape(option: dict[str, Any]) -> dict[str, Any]:
    shaped = {k: v for k, v in option.items()
              if not (k == "required" and v is False) and v not in ([], None)}
    if option.get("options"):
        shaped["options"] = [_option_shape(o) for o in option["options"]]
    return shaped
