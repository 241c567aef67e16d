"""`quizbot questions reports` lists what members reported; `clear` puts a question back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.adapters.clock import FrozenClock
from bot.adapters.database import make_engine
from bot.cli import app
from bot.domain.model import Who
from bot.services import quiz
from tests.unit.test_question_files import GOOD, write
from tests.wiring import ACME, pop_quiz, sql_deps

runner = CliRunner()


async def report_demo_one(url: str, reporters: int) -> None:
    """A pop quiz of the one demo question, reported by `reporters` members."""
    engine = make_engine(url)
    deps = sql_deps(engine, FrozenClock(datetime(2027, 3, 26, 9, tzinfo=UTC)))
    view = await pop_quiz(deps)
    for n in range(reporters):
        await quiz.report(deps, ACME, Who(f"U{n + 1}", f"m{n + 1}"), view.question.round_id,
                          f"reason number {n + 1}")
    await engine.dispose()


def test_reports_lists_each_reason_and_clear_puts_the_question_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    write(tmp_path, "demo.yaml", GOOD)
    assert runner.invoke(app, ["questions", "sync", str(tmp_path)]).exit_code == 0
    assert "No open reports." in runner.invoke(app, ["questions", "reports"]).output
    asyncio.run(report_demo_one(url, reporters=3))

    listed = runner.invoke(app, ["questions", "reports"])
    assert listed.exit_code == 0, listed.output
    assert "demo-one: 3 members, held back, latest 2027-03-26 09:00 UTC" in listed.output
    assert "  - reason number 2" in listed.output

    cleared = runner.invoke(app, ["questions", "clear", "demo-one"])
    assert "Cleared 3 report(s) of demo-one" in cleared.output
    assert "No open reports." in runner.invoke(app, ["questions", "reports"]).output
    unknown = runner.invoke(app, ["questions", "clear", "nope"])
    assert unknown.exit_code == 1 and "There is no question `nope`" in unknown.output
