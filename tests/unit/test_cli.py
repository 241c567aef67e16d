"""The command line: validate and stats report the bank's rules; sync loads the bank."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_engine
from bot.cli import app
from bot.domain.model import Who
from bot.services import quiz
from tests.unit.test_question_files import GOOD, PROVENANCE, write
from tests.wiring import ACME, pop_quiz, sql_deps

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


def test_validate_accepts_a_good_folder(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD + PROVENANCE)
    result = runner.invoke(app, ["questions", "validate", str(tmp_path)])
    assert result.exit_code == 0
    assert "OK: 1 questions in 1 topics." in result.output


def test_validate_lists_problems_and_exits_1(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD.replace("answer: [2]", "answer: [0]"))
    result = runner.invoke(app, ["questions", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "demo-one: answer" in result.output


def test_validate_names_a_key_that_gives_itself_away_and_missing_provenance(
        tmp_path: Path) -> None:
    long_key = GOOD.replace('["a", "b", "c", "d"]', '["a", "bbbbbbbbbbbbbb", "cc", "dd"]')
    write(tmp_path, "demo.yaml", long_key)
    result = runner.invoke(app, ["questions", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "demo.yaml: demo-one: choices: the key has 14 characters" in result.output
    assert "demo.yaml: demo-one: verified: missing" in result.output
    assert "demo.yaml: demo-one: source: missing" in result.output
    assert "3 problem(s) found." in result.output


def test_stats_shows_the_key_length_and_provenance_figures(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD.replace('"b"', '"b+"') + PROVENANCE)
    result = runner.invoke(app, ["questions", "stats", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "key is the longest choice in ≤ 30% of single-answer" in result.output
    assert "100% (1/1)" in result.output
    assert "every question has a source page" in result.output
    assert "at least 450 questions" in result.output


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


def test_migrate_says_it_created_the_schema_then_that_it_was_up_to_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    assert "Created the database schema" in runner.invoke(app, ["migrate"]).output
    assert "already up to date" in runner.invoke(app, ["migrate"]).output


def test_channels_lists_workspace_channel_schedule_and_status(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    game = tmp_path / "game.db"
    subprocess.run([sys.executable, "-m", "bot", "play", "--db", str(game)],
                   input="/quiz daily 09:30 europe/berlin mon-fri\n", text=True, check=True,
                   capture_output=True, cwd=REPO, timeout=120)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{game}")
    result = runner.invoke(app, ["channels"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "#general" in line)
    assert "terminal" in row and "daily 09:30 Europe/Berlin mon-fri" in row and "active" in row


def test_channels_before_any_migration_says_what_to_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    result = runner.invoke(app, ["channels"])
    assert result.exit_code == 1 and "quizbot migrate" in result.output


def test_schedule_preview_refuses_a_count_below_one() -> None:
    result = runner.invoke(app, ["schedule", "preview", "general", "--count", "-3"])
    assert result.exit_code == 2
    assert "--count" in result.output


def test_leaderboard_rebuild_with_redis_down_fails_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    result = runner.invoke(app, ["leaderboard", "rebuild"])
    assert result.exit_code == 1
    assert "Redis (REDIS_URL) is not reachable" in result.output
    assert "Rebuilt" not in result.output


async def answer_demo_one(url: str, right: int, wrong: int) -> None:
    """A pop quiz of the one demo question, answered by `right` + `wrong` members."""
    engine = make_engine(url)
    deps = sql_deps(engine, FrozenClock(datetime(2027, 3, 26, 9, tzinfo=UTC)))
    view = await pop_quiz(deps)
    letter = {text: letter for letter, text in view.question.choices}
    for n in range(right + wrong):
        await quiz.answer(deps, ACME, Who(f"U{n + 1}", f"m{n + 1}"), view.question.round_id,
                          letter["b"] if n < right else letter["a"])
    await engine.dispose()


def test_stats_played_shows_answers_and_flags_an_easy_question_most_miss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    write(tmp_path, "demo.yaml", GOOD)
    assert runner.invoke(app, ["questions", "sync", str(tmp_path)]).exit_code == 0
    asyncio.run(answer_demo_one(url, right=3, wrong=7))
    result = runner.invoke(app, ["questions", "stats", "--played"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "1 of 1 live questions answered" in result.output
    [row] = [line for line in result.output.splitlines() if "demo-one" in line]
    assert [cell.strip() for cell in row.split("│")[1:7]] == [
        "demo-one", "demo", "easy", "10", "30%", "easy, but most miss it"]
    assert "1 flagged" in result.output


def test_stats_played_says_what_to_do_when_the_database_cannot_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    result = runner.invoke(app, ["questions", "stats", "--played"])
    assert result.exit_code == 1
    assert "Cannot read the answers from the database (" in result.output
    assert "check DATABASE_URL, then run `quizbot migrate`" in result.output
