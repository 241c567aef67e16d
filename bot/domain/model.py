"""The quiz's nouns: questions, how a round presents them, rounds and answers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

LETTERS = "ABCDEFGH"


class ExamDomain(StrEnum):
    """The four domains of the DVA-C02 exam."""

    DEVELOPMENT = "development"
    SECURITY = "security"
    DEPLOYMENT = "deployment"
    TROUBLESHOOTING = "troubleshooting"

    @property
    def label(self) -> str:
        """The domain's name as the exam guide writes it."""
        return _DOMAIN_TITLES[self]


_DOMAIN_TITLES = {
    ExamDomain.DEVELOPMENT: "Development with AWS Services",
    ExamDomain.SECURITY: "Security",
    ExamDomain.DEPLOYMENT: "Deployment",
    ExamDomain.TROUBLESHOOTING: "Troubleshooting and Optimization",
}


class Difficulty(StrEnum):
    """How hard a question is meant to be."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class RoundKind(StrEnum):
    """Daily questions, pop quizzes for a channel, and private practice."""

    DAILY = "daily"
    POP = "pop"
    PRACTICE = "practice"


@dataclass(frozen=True)
class Question:
    """One exam-style question; `answer` holds 0-based indexes into `choices`."""

    id: str
    topic: str
    domain: ExamDomain
    difficulty: Difficulty
    text: str
    choices: tuple[str, ...]
    answer: frozenset[int]
    explanation: str
    retired: bool = False

    @property
    def multi(self) -> bool:
        """True when more than one choice must be picked."""
        return len(self.answer) > 1


@dataclass(frozen=True)
class Presentation:
    """A question as one round shows it: choices in a shuffled, lettered order."""

    question: Question
    order: tuple[int, ...]  # order[position] = index into question.choices

    @classmethod
    def shuffled(cls, question: Question, seed: int) -> Presentation:
        """Shuffle the choices with the round's seed, so everyone sees the same letters."""
        order = list(range(len(question.choices)))
        random.Random(seed).shuffle(order)
        return cls(question, tuple(order))

    @property
    def letters(self) -> str:
        """The letters in use, one per choice."""
        return LETTERS[: len(self.order)]

    @property
    def lettered_choices(self) -> list[tuple[str, str]]:
        """(letter, choice text) in the order shown."""
        return [(LETTERS[pos], self.question.choices[idx]) for pos, idx in enumerate(self.order)]

    @property
    def correct_letters(self) -> str:
        """The letters of the right choices, in alphabetical order."""
        return "".join(LETTERS[pos] for pos, idx in enumerate(self.order)
                       if idx in self.question.answer)

    def indexes_for(self, letters: str) -> frozenset[int]:
        """The question's choice indexes picked by these letters."""
        return frozenset(self.order[LETTERS.index(letter)] for letter in letters)

    def letters_for(self, indexes: frozenset[int]) -> str:
        """The letters shown for these choice indexes, alphabetical."""
        return "".join(LETTERS[pos] for pos, idx in enumerate(self.order) if idx in indexes)

    def is_correct(self, letters: str) -> bool:
        """All or nothing: exactly the right set of choices."""
        return self.indexes_for(letters) == self.question.answer


@dataclass(frozen=True)
class Workspace:
    """A Slack workspace, a Discord guild or a terminal session: one walled-off tenant."""

    id: int
    platform: str
    external_id: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class Member:
    """A person in one workspace."""

    id: int
    workspace_id: int
    external_id: str
    display_name: str


@dataclass(frozen=True)
class Round:
    """One asking of one question: a daily question, a pop quiz or a practice question."""

    id: int
    workspace_id: int
    channel_id: int
    question_id: str
    kind: RoundKind
    opened_at: datetime
    closes_at: datetime
    seed: int
    closed_at: datetime | None = None
    local_date: date | None = None
    member_id: int | None = None  # the one player of a practice round
    message_ref: str | None = None

    def is_open(self, now: datetime) -> bool:
        """Open until it is closed or its window has passed."""
        return self.closed_at is None and now < self.closes_at


@dataclass(frozen=True)
class Answer:
    """One member's answer to one round; only the first one counts."""

    round_id: int
    member_id: int
    choices: frozenset[int]
    correct: bool
    points: int
    answered_at: datetime
    streak: int = 0


@dataclass
class Where:
    """Where a request comes from, as the platform names it."""

    platform: str
    workspace: str
    channel: str
    workspace_name: str = ""
    channel_name: str = ""


@dataclass
class Who:
    """Who makes a request; the adapter says whether the platform calls them an admin."""

    external_id: str
    display_name: str
    is_admin: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Topic:
    """A topic of the bank, as `/quiz topics` lists it."""

    slug: str
    title: str
    section: str = ""
    count: int = 0
