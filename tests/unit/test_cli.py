"""The command line: validate reports and exits 1 on any problem; sync loads the bank."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.unit.test_question_files import GOOD, write

runner = CliRunner()


def test_validate_accepts_a_good_folder(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD)
    result = runner.invoke(app, ["questions", "validate", str(tmp_path)])
    assert result.exit_code == 0
    assert "OK: 1 questions in 1 topics." in result.output


def test_validate_lists_problems_and_exits_1(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD.replace("answer: [2]", "answer: [0]"))
    result = runner.invoke(app, ["questions", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "demo-one: answer" in result.output


def test_sync_loads_the_bank_then_retires_a_removed_question(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    folder = tmp_path / "bank"
    folder.mkdir()
    write(folder, "demo.yaml", GOOD)
    first = runner.invoke(app, ["questions", "sync", str(folder)])
    assert first.exit_code == 0 and "1 added" in first.output
    second_question = GOOD.replace("- id: demo-one", "- id: demo-two")
    write(folder, "demo.yaml", second_question)
    second = runner.invoke(app, ["questions", "sync", str(folder)])
    assert "1 added, 0 updated, 1 retired" in second.output


def test_sync_refuses_a_broken_bank_and_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    write(tmp_path, "demo.yaml", GOOD.replace("domain: development", "domain: x"))
    result = runner.invoke(app, ["questions", "sync", str(tmp_path)])
    assert result.exit_code == 1
    assert "nothing was synced" in result.output


def test_questions_stats_shows_every_topic_name_whole_in_80_columns() -> None:
    result = runner.invoke(app, ["questions", "stats"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output  # nothing is cut, topic names least of all
    assert max(len(line) for line in result.output.splitlines()) <= 80
