"""What the services hand the platforms to render; plain data, no formatting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.commands import Period
from bot.domain.exam import ExamScore
from bot.domain.model import Difficulty, RoundKind
from bot.domain.readiness import Readiness
from bot.domain.schedule import ChannelSettings
from bot.domain.standings import Standing


@dataclass(frozen=True)
class QuestionView:
    """A question as posted: lettered choices, and when it closes."""

    round_id: int
    workspace_id: int
    kind: RoundKind
    topic: str
    topic_title: str
    difficulty: Difficulty
    text: str
    choices: list[tuple[str, str]]
    pick: int  # how many choices to pick
    closes_at: datetime
    zone: str
    opened_at: datetime | None = None  # a close on another local day then shows its date

    @property
    def letters(self) -> str:
        """The letters of the choices."""
        return "".join(letter for letter, _ in self.choices)


@dataclass(frozen=True)
class Winner:
    """Someone who got it right, with what it earned."""

    name: str
    points: int
    streak: int


@dataclass(frozen=True)
class RevealView:
    """The answer revealed: right choices, explanation, votes per letter, who got it."""

    question: QuestionView
    correct: str
    explanation: str
    votes: list[tuple[str, int]]
    answers: int
    winners: list[Winner]


@dataclass(frozen=True)
class Receipt:
    """A private confirmation that an answer is in."""

    letters: str
    closes_at: datetime
    zone: str
    kind: RoundKind
    answered_at: datetime | None = None  # a close on another local day then shows its date


@dataclass(frozen=True)
class Verdict:
    """The immediate result of a practice answer."""

    question: QuestionView
    letters: str
    correct_letters: str
    correct: bool
    points: int
    explanation: str
    capped: bool = False


@dataclass(frozen=True)
class BoardView:
    """A leaderboard: members, or channels as squads (points per active member)."""

    period: Period
    squads: bool
    rows: list[Standing]
    week: tuple[int, int] | None = None
    movers: list[tuple[str, int]] = field(default_factory=list)
    you: Standing | None = None  # the asker's row when it is below the top rows


@dataclass(frozen=True)
class BoardLine:
    """A board row as every platform shows it; `yours` marks the asker's row below the top."""

    rank: int
    name: str
    points: float
    members: int | None  # a squad's active members; None for a member's row
    yours: bool = False


@dataclass(frozen=True)
class WinnerLine:
    """Someone who got it right as every platform shows it; `streak` only when it is above 1."""

    name: str
    points: int
    streak: int | None


@dataclass(frozen=True)
class Tally:
    """Right answers out of answers given, for one domain or topic."""

    label: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """Share of right answers, 0 when nothing was answered."""
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class StatsView:
    """A member's record."""

    name: str
    answered: int
    correct: int
    points: int
    streak: int
    by_domain: list[Tally]
    by_topic: list[Tally]
    readiness: Readiness | None = None  # exam readiness by domain, and a score once known
    due_today: int = 0  # spaced-repetition reviews due by the end of the day
    member_id: int | None = None  # whose record, for a chart link
    workspace_id: int | None = None


@dataclass(frozen=True)
class TopicsView:
    """The bank's topics and their question counts."""

    topics: list[tuple[str, str, int]]
    selected: frozenset[str]


@dataclass(frozen=True)
class SettingsView:
    """A channel's settings with its next fire times."""

    channel: str
    settings: ChannelSettings
    next_daily: list[datetime]
    next_reveal: datetime | None
    next_weekly: datetime | None
    disabled: str | None = None


@dataclass(frozen=True)
class Notice:
    """A one-line confirmation or hint."""

    text: str
    private: bool = True


@dataclass(frozen=True)
class HelpView:
    """The commands, with examples."""

    lines: list[tuple[str, str]]


@dataclass(frozen=True)
class PopPosted:
    """A pop quiz went to the channel."""

    question: QuestionView


@dataclass(frozen=True)
class ReviewQuestion:
    """A missed question asked again in `/quiz review`, with how many misses are left."""

    question: QuestionView
    left: int


@dataclass(frozen=True)
class ExamQuestion:
    """One question of a mock exam: no topic, no feedback; the deadline shown."""

    exam_id: int
    number: int  # 1-based
    size: int
    text: str
    choices: list[tuple[str, str]]
    pick: int
    minutes_left: int
    resumed: bool = False  # shown again after `/quiz exam` while the exam runs

    @property
    def letters(self) -> str:
        """The letters of the choices."""
        return "".join(letter for letter, _ in self.choices)


@dataclass(frozen=True)
class ExamResult:
    """A finished mock exam: score by domain, estimated scaled score, what was missed."""

    exam_id: int
    score: ExamScore


View = (
    QuestionView | RevealView | Receipt | Verdict | BoardView | StatsView | TopicsView
    | SettingsView | Notice | HelpView | PopPosted
    | ReviewQuestion | ExamQuestion | ExamResult
)
