"""Convert Open Trivia DB JSON into a question file, so a team can mix in general trivia."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.adapters.question_files import SCHEMA_NAME, QuestionEntry, QuestionFile
from bot.domain.errors import QuizError

_DIFFICULTIES = {"easy", "medium", "hard"}


def _slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:limit].strip("-") or "question"


def _item_name(index: int, item: Any) -> str:
    question = item.get("question") if isinstance(item, dict) else None
    excerpt = html.unescape(str(question))[:50] if question else "no question text"
    return f"item #{index + 1} ({excerpt!r})"


def _entry(topic: str, domain: str, index: int, item: Any) -> QuestionEntry:
    if not isinstance(item, dict):
        raise ValueError("is not an object")
    kind = item.get("type")
    if kind not in ("multiple", "boolean"):
        raise ValueError(f"type must be 'multiple' or 'boolean', not {kind!r}")
    for field in ("question", "correct_answer", "incorrect_answers"):
        if field not in item:
            raise ValueError(f"has no {field}")
    if not isinstance(item["incorrect_answers"], list) or not item["incorrect_answers"]:
        raise ValueError("incorrect_answers must be a non-empty list")
    text = html.unescape(str(item["question"]))
    correct = html.unescape(str(item["correct_answer"]))
    choices = [correct, *(html.unescape(str(a)) for a in item["incorrect_answers"])]
    if kind == "boolean":
        choices = ["True", "False"]
        answer = [1 if correct.lower() == "true" else 2]
    else:
        answer = [1]
    difficulty = item.get("difficulty") if item.get("difficulty") in _DIFFICULTIES else "medium"
    category = html.unescape(str(item.get("category") or "general knowledge"))
    digest = hashlib.sha1(text.encode()).hexdigest()[:6]
    return QuestionEntry.model_validate({
        "id": f"{topic}-{_slug(text)}-{digest}", "domain": domain, "difficulty": difficulty,
        "question": text, "choices": choices, "answer": answer,
        "explanation": f"The answer is {correct} (Open Trivia DB, {category}).",
    })


def convert(raw: str, topic: str, title: str | None = None,
            domain: str = "development") -> QuestionFile:
    """Open Trivia DB JSON text → a validated question file; errors name the item."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise QuizError(f"The file is not JSON: {error}.") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or not results:
        raise QuizError("The file has no `results` list; is it an Open Trivia DB response?")
    entries, problems = [], []
    for index, item in enumerate(results):
        try:
            entries.append(_entry(topic, domain, index, item))
        except (ValueError, ValidationError) as error:
            problems.append(f"{_item_name(index, item)}: {error}")
    if problems:
        raise QuizError("Nothing was written; fix these items:\n" + "\n".join(problems))
    return QuestionFile(topic=topic, title=title or topic.replace("-", " ").title(),
                        section="Open Trivia DB", questions=entries)


def write(file: QuestionFile, path: Path) -> None:
    """Write a question file with the schema line editors use."""
    body = yaml.safe_dump(file.model_dump(mode="json"), sort_keys=False, allow_unicode=True,
                          width=100)
    path.write_text(f"# yaml-language-server: $schema={SCHEMA_NAME}\n{body}", encoding="utf-8")
