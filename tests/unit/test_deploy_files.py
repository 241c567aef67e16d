"""The Dockerfile, fly.toml and compose.yaml name only commands, paths and ports that exist
(no Docker engine needed: they are read, and every command is parsed by the real CLI)."""

from __future__ import annotations

import re
import shlex
import tomllib
from typing import Any, cast

import typer
import yaml
from aiohttp import web

from bot.cli import app
from bot.config import Settings
from bot.health import Readiness, health_routes
from tests.conftest import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
FLY = tomllib.loads((REPO / "fly.toml").read_text(encoding="utf-8"))
COMPOSE: dict[str, Any] = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
PORT = Settings(_env_file=None).port


def parses(argv: list[str]) -> None:
    """Parse a `quizbot …` command line with the real CLI, values and all, without running it;
    a wrong command, option or value raises."""
    assert argv[0] == "quizbot", argv
    command: Any = typer.main.get_command(app)
    context = command.make_context("quizbot", argv[1:])
    while hasattr(command, "resolve_command"):  # a group: descend to the subcommand
        # Typer keeps a group's subcommand and its arguments apart from its own options.
        rest = [*getattr(context, "_protected_args", []), *context.args]
        name, command, rest = command.resolve_command(context, rest)
        assert command is not None, argv
        context = command.make_context(name, rest, parent=context)


def probes() -> set[str]:
    """The health routes the process serves."""
    web_app = web.Application()
    health_routes(web_app, cast(Readiness, None))
    return {route.resource.canonical for route in web_app.router.routes()
            if route.resource is not None}


def instructions(name: str) -> list[str]:
    """The arguments of every Dockerfile instruction called `name` (continuations joined)."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [name]]


def test_every_file_the_dockerfile_copies_from_the_repository_exists() -> None:
    for copy in instructions("COPY"):
        if copy.startswith("--from"):
            continue
        *sources, _ = copy.split()
        assert sources and all((REPO / source).exists() for source in sources), copy


def test_the_image_installs_locked_hashed_dependencies_and_the_bot_not_editable() -> None:
    runs = " ".join(instructions("RUN"))
    assert "--require-hashes" in runs and "-r requirements.lock" in runs
    assert " -e " not in runs and "--editable" not in runs
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    pinned = {re.split(r"[=;\s]", line)[0].lower() for line in lock.splitlines()
              if re.match(r"^[a-z0-9]", line, re.IGNORECASE)}
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in pyproject["project"]["dependencies"]:
        name = re.split(r"[\[<>=~! ]", requirement)[0].lower().replace(".", "-")
        assert name in pinned, f"{name} is not in requirements.lock: run `make lock`"
    assert "--hash=sha256:" in lock


def test_the_image_runs_quizbot_as_a_user_who_owns_the_sqlite_folder() -> None:
    (command,) = instructions("CMD")
    parses(yaml.safe_load(command))
    (user,) = instructions("USER")
    assert user.strip() not in ("root", "0")
    database = next(e for e in instructions("ENV") if "DATABASE_URL=" in e)
    folder = re.search(r"DATABASE_URL=sqlite:///(/[\w/]+)/[\w.]+", database)
    assert folder, database
    assert any(f"mkdir {folder[1]}" in run and f"chown {user.strip()}" in run
               for run in instructions("RUN"))


def test_ports_and_health_checks_agree_everywhere() -> None:
    (exposed,) = instructions("EXPOSE")
    assert int(exposed) == PORT == FLY["http_service"]["internal_port"]
    assert int(FLY["env"]["PORT"]) == PORT
    (healthcheck,) = instructions("HEALTHCHECK")
    assert any(path in healthcheck for path in probes())
    checks = [*FLY["http_service"]["checks"], *FLY["checks"].values()]
    assert checks and all(check["path"] in probes() for check in checks)
    assert all(check.get("port", PORT) == PORT for check in checks)
    web_ports = COMPOSE["services"]["web"]["ports"]
    assert all(port.split(":")[-1] == str(PORT) for port in web_ports)


def test_fly_runs_web_and_worker_and_migrates_once_per_deploy() -> None:
    processes = FLY["processes"]
    assert set(processes) == {"web", "worker"}
    for command in processes.values():
        parses(shlex.split(command))
    assert processes["web"].endswith("--role web")
    assert processes["worker"].endswith("--role worker")
    assert FLY["deploy"]["release_command"] == "quizbot migrate"
    parses(shlex.split(FLY["deploy"]["release_command"]))
    assert FLY["http_service"]["processes"] == ["web"]
    assert all(set(check["processes"]) <= set(processes) for check in FLY["checks"].values())


def test_compose_runs_postgres_redis_web_and_worker_with_real_settings() -> None:
    services = COMPOSE["services"]
    assert {"postgres", "redis", "web", "worker"} <= set(services)
    settings = {name.upper() for name in Settings.model_fields}
    for name, service in services.items():
        if "command" in service and service.get("build"):
            parses(service["command"])
        if service.get("build"):
            assert set(service["environment"]) <= settings, name
    assert services["web"]["command"][-2:] == ["--role", "web"]
    assert services["worker"]["command"][-2:] == ["--role", "worker"]


def test_every_package_of_the_bot_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts)
             for init in (REPO / "bot").rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"
