"""Logging for `quizbot run`: JSON lines for a log collector, readable lines on a terminal, a
request id on every line logged while a request is handled, and secrets never written.

Secrets are removed from the formatted line, tracebacks included, so a library that logs a
token at DEBUG (slack_sdk logs whole Web API requests and responses) cannot leak it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id",
                                                                         default=None)
REDACTED = "[redacted]"
# Token shapes (Slack's xox*/xapp, bearer headers) and the fields OAuth sends secrets in, in
# the forms they are logged: JSON, Python dict reprs and query strings.
PATTERNS = [
    re.compile(r"\b(xox[abeprs]|xapp)-[\w-]+"),
    re.compile(r"(?i)\b(bearer|bot)\s+[\w.~+/-]{20,}=*"),
    re.compile(r"""(?i)(["']?\b(?:access_token|refresh_token|client_secret|code|token|"""
               r"""signing_secret)["']?\s*[:=]\s*\[?["']?)(?!\d+\b)([^"',&\s}]+)"""),
]
QUIET = {"apscheduler": logging.WARNING, "aiohttp.access": logging.INFO,
         "discord.gateway": logging.INFO, "asyncio": logging.WARNING}
# Said at every start and nothing to act on: Bolt notices SLACK_BOT_TOKEN beside our client,
# discord.py's voice support is not used.
NOISE = ("`token` will be unused", "will be ignored", "voice will NOT be supported")
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with known secret values and token-shaped strings replaced."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, REDACTED)
    text = PATTERNS[0].sub(REDACTED, text)
    text = PATTERNS[1].sub(lambda m: f"{m[1]} {REDACTED}", text)
    return PATTERNS[2].sub(lambda m: f"{m[1]}{REDACTED}", text)


class RedactingFormatter(logging.Formatter):
    """A line per record, JSON or plain, with the request id and without secrets."""

    def __init__(self, as_json: bool, secrets: Iterable[str] = ()) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.as_json = as_json
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        """Format, then redact the whole line (message, arguments and traceback)."""
        rid = getattr(record, "request_id", None) or request_id.get()
        if self.as_json:
            entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                     "level": record.levelname.lower(), "logger": record.name,
                     "message": record.getMessage()}
            if rid:
                entry["request_id"] = rid
            if record.exc_info:
                entry["exception"] = self.formatException(record.exc_info)
            line = json.dumps(entry, ensure_ascii=False)
        else:
            line = super().format(record)
            if rid:
                line = f"{line} [request {rid}]"
        return redact(line, self.secrets)


class DropNoise(logging.Filter):
    """Leave out the libraries' start-up warnings that ask nothing of the operator."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a known noise line."""
        message = record.getMessage()
        return not any(noise in message for noise in NOISE)


def configure(level: str, secrets: Iterable[str] = (), as_json: bool | None = None) -> None:
    """Log to stderr at `level`: JSON lines unless stderr is a terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(
        not sys.stderr.isatty() if as_json is None else as_json, secrets))
    handler.addFilter(DropNoise())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name, floor in QUIET.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(floor, root.level))


@web.middleware
async def with_request_id(request: web.Request,
                          handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                          ) -> web.StreamResponse:
    """Every request gets an id (the caller's X-Request-Id, else a new one), in its log lines
    and in the response."""
    given = request.headers.get("X-Request-Id", "")
    rid = given if re.fullmatch(r"[\w.-]{1,64}", given) else uuid.uuid4().hex[:16]
    token = request_id.set(rid)
    try:
        response = await handler(request)
        response.headers["X-Request-Id"] = rid
        return response
    finally:
        request_id.reset(token)


class AccessLogger(AbstractAccessLogger):
    """One line per request, without its query string (OAuth codes travel there) and without
    the health probes a load balancer sends every few seconds."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Log method, path, status and duration."""
        if request.path in PROBES and response.status < 500:
            return
        self.logger.info("%s %s %s %.0f ms", request.method, request.path, response.status,
                         time * 1000, extra={"request_id": response.headers.get("X-Request-Id")})

    @property
    def enabled(self) -> bool:
        """Whether the access logger logs at all."""
        return self.logger.isEnabledFor(logging.INFO)
