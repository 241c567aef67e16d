"""The shipped bank meets every bank rule and question rule, and has no near-copies."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from bot.adapters.bank_rules import check, question_problems
from bot.adapters.question_files import Bank, load_bank
from bot.domain.model import Difficulty, ExamDomain, Question

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
NEAR_COPY = 0.35  # share of shared word triples above which two stems are near-copies


@pytest.fixture(scope="module")
def shipped() -> Bank:
    loaded, problems = load_bank(QUESTIONS)
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def bank(shipped: Bank) -> list[Question]:
    return shipped.questions


def test_every_bank_rule_holds_for_the_shipped_bank(shipped: Bank) -> None:
    assert [f"{r.name}: {r.actual}" for r in check(shipped) if not r.met] == []


def test_no_shipped_question_breaks_a_question_rule(shipped: Bank) -> None:
    assert [str(p) for p in question_problems(shipped)] == []


def test_the_rules_notice_a_thin_bank() -> None:
    one = Question("x-1", "s3", ExamDomain.SECURITY, Difficulty.EASY, "?", ("a", "b"),
                   frozenset({0}), "because")
    missed = {r.name for r in check(Bank([], [one])) if not r.met}
    assert "at least 450 questions" in missed
    assert "section lambda ≥ 6" in missed
    assert "Security: 26% ± 3" in missed
    assert "topic eventbridge ≥ 8" in missed


def triples(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def similarity(a: str, b: str) -> float:
    first, second = triples(a), triples(b)
    return len(first & second) / len(first | second) if first | second else 1.0


def test_near_copies_are_recognised_through_rewording() -> None:
    stem = "A developer must store session data for a web application. Which service fits?"
    assert similarity(stem, stem.upper().replace(".", "!")) == 1.0
    assert similarity(stem, "Which queue type keeps the order of messages per customer?") < 0.1


def test_no_two_questions_have_near_identical_stems(bank: list[Question]) -> None:
    shingled = [(q.id, triples(q.text)) for q in bank]
    copies = []
    for (first, a), (second, b) in itertools.combinations(shingled, 2):
        if a | b and len(a & b) / len(a | b) > NEAR_COPY:
            copies.append(f"{first} ~ {second}")
    assert copies == []
