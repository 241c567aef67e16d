"""Question files: the typed model of one YAML file, loading and validation with readable errors."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bot.domain.model import Difficulty, ExamDomain, Question, Topic

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SCHEMA_NAME = "question-file.schema.json"


class QuestionEntry(BaseModel):
    """One question as written in a file; `answer` is 1-based."""

    model_config = ConfigDict(extra="forbid")

    id: Slug = Field(description="Stable slug, never reused, e.g. dynamodb-rcu-strong-15kb")
    domain: ExamDomain = Field(description="The DVA-C02 exam domain")
    difficulty: Difficulty
    question: Text = Field(description="A short scenario ending in a question")
    choices: list[Text] = Field(min_length=2, max_length=8)
    answer: list[int] = Field(min_length=1, description="1-based; two or more = choose N")
    explanation: Text = Field(description="Why the answer is right and the others are not")
    verified: Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")] | None = \
        Field(default=None, description="When its facts were last checked against AWS "
              "documentation, YYYY-MM")
    source: Annotated[str, StringConstraints(pattern=r"^https://[^\s]+$")] | None = Field(
        default=None, description="The AWS documentation page that settles it")

    @field_validator("choices")
    @classmethod
    def _distinct_choices(cls, choices: list[str]) -> list[str]:
        if len({c.casefold() for c in choices}) != len(choices):
            raise ValueError("two choices have the same text")
        return choices

    @field_validator("answer")
    @classmethod
    def _answer_points_at_choices(cls, answer: list[int], info: ValidationInfo) -> list[int]:
        if len(set(answer)) != len(answer):
            raise ValueError("answer lists a choice twice")
        choices = info.data.get("choices")
        if choices is None:  # the choices have problems of their own, reported already
            return answer
        for number in answer:
            if not 1 <= number <= len(choices):
                raise ValueError(f"answer {number} is not a choice (1 to {len(choices)})")
        if len(answer) >= len(choices):
            raise ValueError("answer must leave at least one wrong choice")
        return answer


class QuestionFile(BaseModel):
    """A topic's file: its title, where it stands in the study notes, and its questions."""

    model_config = ConfigDict(extra="forbid")

    topic: Slug
    title: Text
    section: str = ""
    questions: list[QuestionEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a question file."""

    file: str
    question_id: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.question_id}" if self.question_id else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else \
            f"{where}: {self.message}"


@dataclass(frozen=True)
class Origin:
    """Where a question was written and checked: its file, `verified` month and `source` page."""

    file: str
    verified: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Bank:
    """Every question of a folder, with its topics and, by question id, where each comes from."""

    topics: list[Topic]
    questions: list[Question]
    origins: dict[str, Origin] = field(default_factory=dict)


def to_question(topic: str, entry: QuestionEntry) -> Question:
    """The domain question for a file entry (answer becomes 0-based)."""
    return Question(
        id=entry.id, topic=topic, domain=entry.domain, difficulty=entry.difficulty,
        text=entry.question, choices=tuple(entry.choices),
        answer=frozenset(n - 1 for n in entry.answer), explanation=entry.explanation)


def content_hash(question: Question) -> str:
    """A hash of what a player sees, so a changed question is noticed on sync."""
    payload = json.dumps([question.topic, question.domain, question.difficulty, question.text,
                          question.choices, sorted(question.answer), question.explanation])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def question_files(path: Path) -> list[Path]:
    """The YAML files of a folder (or the one file given)."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def _problems_of(file: str, raw: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = list(item["loc"])
        question_id = ""
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            entries = raw.get("questions") if isinstance(raw, dict) else None
            entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else {}
            question_id = (entry.get("id") if isinstance(entry, dict) else None) or \
                f"question #{loc[1] + 1}"
            loc = loc[2:]
        field = ".".join(str(part) for part in loc)
        problems.append(Problem(file, str(question_id), field, item["msg"]))
    return problems


def parse_yaml(text: str) -> Any:
    """The document in `text`, read by libyaml where PyYAML has it: the pure-Python reader
    takes about a second over the shipped bank, which every start pays. Its errors show the
    line with a caret, so a file libyaml refuses is read again by it for the message."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def load_file(path: Path) -> tuple[QuestionFile | None, list[Problem]]:
    """Parse and validate one file; problems name the file, the question id and the field."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, "", "", f"cannot read the file: {exc}")]
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError as exc:
        return None, [Problem(name, "", "", f"is not valid YAML: {exc}")]
    try:
        return QuestionFile.model_validate(raw), []
    except ValidationError as exc:
        return None, _problems_of(name, raw, exc)


def load_bank(path: Path) -> tuple[Bank, list[Problem]]:
    """Load every file of a folder; ids must be unique across files and topics across files."""
    topics: list[Topic] = []
    questions: list[Question] = []
    origins: dict[str, Origin] = {}
    problems: list[Problem] = []
    files = question_files(path)
    if not files:
        problems.append(Problem(str(path), "", "", "has no question files (*.yaml)"))
    for file in files:
        parsed, found = load_file(file)
        problems.extend(found)
        if parsed is None:
            continue
        if any(t.slug == parsed.topic for t in topics):
            problems.append(Problem(str(file), "", "topic",
                                    f"topic {parsed.topic!r} is already used by another file"))
            continue
        topics.append(Topic(parsed.topic, parsed.title, parsed.section, len(parsed.questions)))
        for entry in parsed.questions:
            if entry.id in origins:
                problems.append(Problem(str(file), entry.id, "id",
                                        f"id is already used in {origins[entry.id].file}"))
                continue
            questions.append(to_question(parsed.topic, entry))
            origins[entry.id] = Origin(str(file), entry.verified, entry.source)
    return Bank(topics, questions, origins), problems


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a question file, for editors."""
    schema = QuestionFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Quiz question file"
    return schema
