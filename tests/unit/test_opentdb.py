"""Importing Open Trivia DB JSON into a question file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.adapters.question_files import load_bank
from bot.cli import app

runner = CliRunner()
RESPONSE = {"response_code": 0, "results": [
    {"type": "multiple", "difficulty": "easy", "category": "Science &amp; Nature",
     "question": "What is the chemical symbol for &quot;gold&quot;?",
     "correct_answer": "Au", "incorrect_answers": ["Ag", "Gd", "Go"]},
    {"type": "boolean", "difficulty": "hard", "category": "Science: Computers",
     "question": "The first computer bug was an actual moth.",
     "correct_answer": "True", "incorrect_answers": ["False"]},
]}


def run_import(tmp_path: Path, payload: object) -> tuple[int, str, Path]:
    source = tmp_path / "trivia.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    out = tmp_path / "bank" / "trivia.yaml"
    out.parent.mkdir(exist_ok=True)
    result = runner.invoke(app, ["questions", "import", "opentdb", str(source),
                                 "--topic", "trivia", "--out", str(out)])
    return result.exit_code, result.output, out


def test_an_import_writes_a_valid_file_with_entities_decoded(tmp_path: Path) -> None:
    code, output, out = run_import(tmp_path, RESPONSE)
    assert code == 0, output
    bank, problems = load_bank(out.parent)
    assert problems == []
    gold, moth = bank.questions
    assert gold.text == 'What is the chemical symbol for "gold"?'
    assert gold.choices[min(gold.answer)] == "Au"
    assert "Science & Nature" in gold.explanation
    assert moth.choices == ("True", "False") and moth.answer == frozenset({0})
    assert out.read_text().startswith("# yaml-language-server: $schema=")


def test_a_malformed_item_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    broken = {"results": [RESPONSE["results"][0],  # type: ignore[index]
                          {"type": "multiple", "question": "Which &amp; what?",
                           "incorrect_answers": ["x"]}]}
    code, output, out = run_import(tmp_path, broken)
    assert code == 1
    assert "item #2 ('Which & what?'): has no correct_answer" in output
    assert not out.exists()


def test_a_file_that_is_not_opentdb_gets_a_clear_error(tmp_path: Path) -> None:
    code, output, _ = run_import(tmp_path, {"questions": []})
    assert code == 1
    assert "no `results` list" in output
