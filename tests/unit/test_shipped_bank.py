"""Every shipped question file loads, and the JSON Schema for editors is current."""

from __future__ import annotations

import json
from pathlib import Path

from bot.adapters.question_files import SCHEMA_NAME, json_schema, load_bank, question_files

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


def test_every_shipped_question_file_is_valid() -> None:
    bank, problems = load_bank(QUESTIONS)
    assert [str(p) for p in problems] == []
    assert len(bank.questions) >= 60


def test_the_editor_schema_matches_the_typed_model() -> None:
    shipped = json.loads((QUESTIONS / SCHEMA_NAME).read_text(encoding="utf-8"))
    assert shipped == json_schema(), "run `quizbot questions schema` to refresh it"


def test_every_file_points_editors_at_the_schema() -> None:
    for path in question_files(QUESTIONS):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={SCHEMA_NAME}", path.name
