"""The domain and the services import no platform, database, cache or scheduler library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
FORBIDDEN = {"slack_bolt", "slack_sdk", "discord", "sqlalchemy", "redis", "apscheduler",
             "aiohttp"}
PURE = sorted([*BOT.joinpath("domain").rglob("*.py"), *BOT.joinpath("services").rglob("*.py")])


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_check_sees_the_domain_and_services() -> None:
    assert len(PURE) > 10


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(BOT)))
def test_a_pure_module_imports_no_outside_library(path: Path) -> None:
    assert imported_roots(path) & FORBIDDEN == set()


def test_the_check_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom discord.ext import commands\n")
    assert imported_roots(bad) & FORBIDDEN == {"sqlalchemy", "discord"}
