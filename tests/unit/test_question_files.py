"""Question files: every problem names the file, the question id and the field."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.adapters.question_files import Origin, content_hash, load_bank, parse_yaml
from bot.shipped import question_bank

GOOD = """\
topic: demo
title: Demo
questions:
  - id: demo-one
    domain: development
    difficulty: easy
    question: Which one?
    choices: ["a", "b", "c", "d"]
    answer: [2]
    explanation: Because b.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in load_bank(folder)[1]]


def test_a_good_file_loads_with_a_zero_based_answer(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD)
    bank, problems = load_bank(tmp_path)
    assert problems == []
    assert bank.questions[0].answer == frozenset({1})
    assert bank.topics[0].title == "Demo"


def test_an_answer_outside_the_choices_names_file_id_and_field(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD.replace("answer: [2]", "answer: [5]"))
    [problem] = problems_of(tmp_path)
    assert "demo.yaml: demo-one:" in problem
    assert "answer 5 is not a choice (1 to 4)" in problem


def test_a_bad_domain_names_the_field(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD.replace("domain: development", "domain: cooking"))
    [problem] = problems_of(tmp_path)
    assert "demo.yaml: demo-one: domain:" in problem


def test_a_missing_explanation_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD.replace("    explanation: Because b.\n", ""))
    [problem] = problems_of(tmp_path)
    assert "demo-one: explanation: Field required" in problem


def test_a_duplicate_id_across_files_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD)
    write(tmp_path, "other.yaml", GOOD.replace("topic: demo", "topic: other"))
    [problem] = problems_of(tmp_path)
    assert "other.yaml: demo-one: id: id is already used in" in problem


def test_broken_yaml_is_reported_for_the_file(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", "topic: [unclosed\n")
    [problem] = problems_of(tmp_path)
    assert "demo.yaml: is not valid YAML" in problem


def test_broken_yaml_is_shown_at_its_line_with_a_caret(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD.replace("difficulty: easy", "difficulty: easy: hard"))
    [problem] = problems_of(tmp_path)
    assert "line 6, column 21:\n        difficulty: easy: hard\n" in problem
    assert problem.rstrip().endswith("^")


def test_the_fast_reader_reads_every_shipped_file_as_the_pure_python_one_does() -> None:
    for path in sorted(question_bank(None).glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text) == yaml.safe_load(text), path.name


def test_every_problem_of_a_file_is_listed_not_just_the_first(tmp_path: Path) -> None:
    bad = GOOD.replace("difficulty: easy", "difficulty: brutal").replace("[2]", "[9]")
    write(tmp_path, "demo.yaml", bad)
    assert len(problems_of(tmp_path)) == 2


PROVENANCE = """\
    verified: 2026-11
    source: https://docs.aws.amazon.com/demo.html
"""


def test_verified_and_source_are_kept_beside_the_question_with_its_file(tmp_path: Path) -> None:
    path = write(tmp_path, "demo.yaml", GOOD + PROVENANCE)
    bank, problems = load_bank(tmp_path)
    assert problems == []
    assert bank.origins["demo-one"] == Origin(str(path), "2026-11",
                                              "https://docs.aws.amazon.com/demo.html")


def test_adding_verified_and_source_does_not_change_what_players_see(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD)
    [plain] = load_bank(tmp_path)[0].questions
    write(tmp_path, "demo.yaml", GOOD + PROVENANCE)
    [annotated] = load_bank(tmp_path)[0].questions
    assert annotated == plain
    assert content_hash(annotated) == content_hash(plain)


def test_a_verified_date_with_a_day_is_refused_for_its_field(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", GOOD + PROVENANCE.replace("2026-11", "'2026-11-03'"))
    [problem] = problems_of(tmp_path)
    assert "demo-one: verified:" in problem
