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


# Layers point one way: domain < services < adapters and platforms < entry points.
# The leaves (settings, where the shipped files are, process roles, log setup) import no bot
# module, and anything but the domain and the services may use them.
ENTRY_POINTS = {"bot.cli", "bot.runner", "bot.bootstrap", "bot.worker", "bot.__main__",
                "bot.operator_errors"}
LEAVES = {"bot.config", "bot.shipped", "bot.roles", "bot.logs"}
ADAPTERS = {"bot.health"}  # the HTTP probes: aiohttp routes over what bootstrap built
MAY_IMPORT = {
    "domain": {"domain"},
    "services": {"domain", "services"},
    "adapters": {"domain", "services", "adapters", "config"},
    "platforms": {"domain", "services", "adapters", "platforms", "config"},
    "config": set(),
    "entry": {"domain", "services", "adapters", "platforms", "config", "entry"},
}


def module_name(path: Path, root: Path) -> str:
    """`bot/services/quiz.py` → `bot.services.quiz`; a package is named by its folder."""
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """The layer a bot module belongs to (None for the bare `bot` package)."""
    if module in ENTRY_POINTS:
        return "entry"
    if module in LEAVES:
        return "config"
    if module in ADAPTERS:
        return "adapters"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else None


def bot_imports(path: Path, module: str) -> set[str]:
    """Every bot module a file imports, relative imports resolved, lazy ones included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from bot import runner` names the module runner, not the package.
            found |= ({f"bot.{alias.name}" for alias in node.names} if base == "bot"
                      else {base})
    return {name for name in found if name == "bot" or name.startswith("bot.")}


def layer_violations(root: Path) -> list[str]:
    """`importer -> imported` for every import that points the wrong way."""
    wrong = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        mine = layer_of(module)
        for imported in sorted(bot_imports(path, module)):
            theirs = layer_of(imported)
            if mine is None or theirs is None:
                if imported != "bot":
                    wrong.append(f"{module} -> {imported} (outside every layer)")
            elif theirs not in MAY_IMPORT[mine]:
                wrong.append(f"{module} -> {imported}")
    return wrong


def test_every_bot_module_belongs_to_a_layer() -> None:
    unplaced = [module_name(p, BOT) for p in BOT.rglob("*.py")
                if layer_of(module_name(p, BOT)) is None and module_name(p, BOT) != "bot"]
    assert unplaced == []


def test_layers_point_one_way_with_no_exceptions() -> None:
    assert layer_violations(BOT) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "bot"
    for name, source in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root


@pytest.mark.parametrize(("name", "source", "wrong"), [
    ("services/quiz.py", "from bot.adapters.orm import AnswerRow\n",
     "bot.services.quiz -> bot.adapters.orm"),
    ("domain/model.py", "from bot.services import quiz\n", "bot.domain.model -> bot.services"),
    ("domain/model.py", "import bot.config\n", "bot.domain.model -> bot.config"),
    ("config.py", "from bot.domain.model import Round\n", "bot.config -> bot.domain.model"),
    ("services/quiz.py", "from bot.platforms.render_text import board\n",
     "bot.services.quiz -> bot.platforms.render_text"),
    ("platforms/terminal_app.py", "from bot.bootstrap import Runtime\n",
     "bot.platforms.terminal_app -> bot.bootstrap"),
    ("adapters/scheduler.py", "from bot import runner\n", "bot.adapters.scheduler -> bot.runner"),
    ("services/quiz.py", "from bot import config\n", "bot.services.quiz -> bot.config"),
    ("adapters/scheduler.py", "def start():\n    from bot.worker import Deliverer\n",
     "bot.adapters.scheduler -> bot.worker"),
    ("services/quiz.py", "from ..adapters import orm\n", "bot.services.quiz -> bot.adapters"),
])
def test_the_layer_check_catches_an_import_that_points_the_wrong_way(
        tmp_path: Path, name: str, source: str, wrong: str) -> None:
    assert layer_violations(_tree(tmp_path, {name: source})) == [wrong]


def test_the_layer_check_lets_imports_that_point_the_right_way_through(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"cli.py": "from bot.platforms import terminal_app\n",
                            "platforms/terminal_app.py": "from bot.adapters.runtime import R\n",
                            "adapters/runtime.py": "from bot.config import Settings\n",
                            "services/quiz.py": "from bot.domain.model import Round\n"})
    assert layer_violations(root) == []
