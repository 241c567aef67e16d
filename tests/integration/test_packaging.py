"""The built wheel carries the question bank and the migrations: an installed `quizbot` works
from any folder, and QUESTIONS_PATH still points it at another bank."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO


def image_sources(root: Path) -> Path:
    """What the Dockerfile copies into its build stage, copied the same way into `root`."""
    source = root / "src"
    source.mkdir()
    for line in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *names, _ = line.split()[1:]
            for name in names:
                if (REPO / name).is_dir():
                    shutil.copytree(REPO / name, source / name,
                                    ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy(REPO / name, source / name)
    return source


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The wheel built from what the image copies, installed (without dependencies) in a
    folder; built outside the checkout so no stale build/ folder can leak into it."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    str(image_sources(root)), "-w", str(root / "dist")],
                   check=True, capture_output=True)
    wheel = next((root / "dist").glob("quizbot-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(root / "site"), str(wheel)], check=True, capture_output=True)
    yield root / "site"


def quizbot(site: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed `quizbot`, run in `cwd`, with only `env` set."""
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), **env})


def test_the_installed_bot_finds_its_bank_and_migrations_from_any_folder(
        installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    validated = quizbot(installed, elsewhere, "questions", "validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith("OK: ") and "questions in" in validated.stdout
    database = f"sqlite:///{tmp_path / 'q.db'}"
    migrated = quizbot(installed, elsewhere, "migrate", DATABASE_URL=database)
    assert migrated.returncode == 0, migrated.stderr
    synced = quizbot(installed, elsewhere, "questions", "sync", DATABASE_URL=database)
    assert synced.returncode == 0 and synced.stdout.startswith("Synced"), synced.stderr
    assert list(elsewhere.iterdir()) == [], "nothing is left in the working folder"


def test_questions_path_overrides_the_shipped_bank_for_every_command(
        installed: Path, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "broken.yaml").write_text("topic: broken\nquestions: nope\n", encoding="utf-8")
    for command in (("questions", "validate"), ("questions", "stats")):
        result = quizbot(installed, tmp_path, *command, QUESTIONS_PATH=str(bank))
        assert result.returncode == 1 and "broken.yaml" in result.stderr, command


def test_the_version_is_the_package_version(installed: Path, tmp_path: Path) -> None:
    result = quizbot(installed, tmp_path, "--version")
    assert result.stdout.strip() == "quizbot 0.1.0"
