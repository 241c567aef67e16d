"""Mistakes an operator makes (a wrong URL, a server down, a port taken) as one line that says
what is wrong and what to do; anything else stays a traceback, because it is a bug."""

from __future__ import annotations

import errno
import socket

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bot.config import Settings
from bot.domain.errors import QuizError


class PortInUse(QuizError):
    """The HTTP port is taken by another process."""

    def __init__(self, port: int) -> None:
        super().__init__(f"Port {port} is already in use. Stop the process that holds it, or "
                         "set PORT to a free port.")


def explain(error: BaseException, settings: Settings | None = None) -> str | None:
    """One line for an operator's mistake, or None when it is not one."""
    if isinstance(error, QuizError):
        return str(error)
    if isinstance(error, ValidationError) and error.title == Settings.__name__:
        first = error.errors()[0]
        name = "_".join(str(part) for part in first["loc"]).upper()
        return (f"The setting {name} is not valid: {first['msg']}. "
                "Fix it in the environment or .env.")
    if (isinstance(error, ArgumentError) and "URL" in str(error)) or isinstance(
            error, NoSuchModuleError) or (
            isinstance(error, ModuleNotFoundError) and not _supported(settings)):
        return ("DATABASE_URL is not a database URL this bot can use. Use "
                "postgresql://user:password@host:5432/dbname or sqlite:///path/to/quizbot.db.")
    database = _database_problem(error)
    if database is not None:
        where = _where(settings)
        return (f"Cannot use the database{where}: {database}. Check DATABASE_URL and that the "
                "database server is running and reachable.")
    return None


def _supported(settings: Settings | None) -> bool:
    """Whether DATABASE_URL names a driver this bot ships (else a missing module is its fault)."""
    url = settings.database_url if settings else ""
    return url.startswith(("sqlite+aiosqlite:", "postgresql+asyncpg:"))


def _database_problem(error: BaseException) -> str | None:
    """What went wrong reaching the database, if that is what this error is."""
    cause: BaseException = error.orig if isinstance(error, DBAPIError) and error.orig else error
    name = type(cause).__name__
    if name == "InvalidCatalogNameError":
        return str(cause)  # 'database "x" does not exist'
    if name in ("InvalidPasswordError", "InvalidAuthorizationSpecificationError"):
        return f"the server refused the login ({cause})"
    if isinstance(cause, socket.gaierror):
        return "the host name does not resolve"
    if isinstance(cause, ConnectionRefusedError):
        return "nothing listens at that address and port"
    if isinstance(cause, TimeoutError):
        return "the connection timed out"
    if isinstance(cause, OSError) and cause.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        return "the host is unreachable"
    if isinstance(error, DBAPIError) and "unable to open database file" in str(cause):
        return "the SQLite file cannot be created there (does its folder exist and is it writable?)"
    return None


def _where(settings: Settings | None) -> str:
    """Host, port and database of DATABASE_URL, never its password."""
    if settings is None:
        return ""
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        return ""
    if url.drivername.startswith("sqlite"):
        return f" at {url.database}"
    return f" at {url.host}:{url.port or 5432}/{url.database}"
