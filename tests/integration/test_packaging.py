"""The built wheel carries the question bank and the migrations: an installed `quizbot` works
from any folder, and QUESTIONS_PATH still points it at another bank."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The wheel built from this checkout, installed (without dependencies) in a folder."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(REPO), "-w",
                    str(root / "dist")], check=True, capture_output=True)
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
