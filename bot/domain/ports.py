"""What the services need from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Protocol

from bot.domain.channel import Channel, Target
from bot.domain.commands import Period
from bot.domain.exam import Exam
from bot.domain.memory import Memory, Recall
from bot.domain.model import Answer, Member, Question, Round, Topic, Who, Workspace
from bot.domain.outbox import Delivery, DeliveryKind
from bot.domain.reports import Report
from bot.domain.schedule import ChannelSettings, Due
from bot.domain.standings import Standing
from bot.domain.views import BoardView, QuestionView, RevealView


class Clock(Protocol):
    """The time, injected so tests and the terminal can set it."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class WorkspaceRepository(Protocol):
    """Tenants."""

    async def ensure(self, platform: str, external_id: str, name: str) -> Workspace:
        """Find or create the workspace."""
        ...

    async def get(self, workspace_id: int) -> Workspace | None:
        """A workspace by id."""
        ...

    async def many(self, workspace_ids: Collection[int]) -> dict[int, Workspace]:
        """The workspaces with these ids that exist, by id."""
        ...

    async def find(self, platform: str, external_id: str) -> Workspace | None:
        """A workspace by its platform id."""
        ...

    async def set_active(self, workspace_id: int, active: bool) -> None:
        """Mark a workspace installed or gone."""
        ...


class ChannelRepository(Protocol):
    """Channels and their settings."""

    async def ensure(self, workspace_id: int, external_id: str, name: str) -> Channel:
        """Find or create the channel."""
        ...

    async def get(self, channel_id: int) -> Channel | None:
        """A channel by id."""
        ...

    async def many(self, channel_ids: Collection[int]) -> dict[int, Channel]:
        """The channels with these ids that exist, by id."""
        ...

    async def in_workspace(self, workspace_id: int) -> list[Channel]:
        """Every channel of a workspace."""
        ...

    async def save_settings(self, channel_id: int, settings: ChannelSettings) -> None:
        """Store new settings (and re-enable a disabled channel)."""
        ...

    async def scheduled(self) -> list[Channel]:
        """Enabled channels of active workspaces that have a daily question or weekly board."""
        ...

    async def set_due(self, channel_id: int, due: Due) -> None:
        """Store when the channel next has scheduled work."""
        ...

    async def set_dues(self, dues: dict[int, Due]) -> None:
        """Store when each of these channels next has scheduled work."""
        ...

    async def claim_due(self, now: datetime, limit: int) -> list[Channel]:
        """Channels whose due instant has come, locked for this transaction; a channel that
        another transaction holds is skipped."""
        ...

    async def unplanned(self, limit: int) -> list[Channel]:
        """Channels with a schedule in their settings but no due instants stored yet."""
        ...

    async def next_due_after(self, after: datetime) -> datetime | None:
        """The earliest due instant later than `after`."""
        ...

    async def disable(self, channel_id: int, reason: str) -> None:
        """Stop a channel's schedule, saying why."""
        ...


class MemberRepository(Protocol):
    """People."""

    async def ensure(self, workspace_id: int, external_id: str, name: str) -> Member:
        """Find or create the member, keeping the display name fresh."""
        ...

    async def get(self, member_id: int) -> Member | None:
        """A member by id."""
        ...

    async def find(self, workspace_id: int, id_or_name: str) -> Member | None:
        """A member by platform id or display name."""
        ...


class QuestionRepository(Protocol):
    """The question bank as synced into the database."""

    async def all(self) -> list[Question]:
        """Every question, retired ones included."""
        ...

    async def get(self, question_id: str) -> Question | None:
        """One question."""
        ...

    async def many(self, question_ids: Collection[str]) -> dict[str, Question]:
        """The questions with these ids that exist, by id."""
        ...

    async def hashes(self) -> dict[str, tuple[str, bool]]:
        """Question id → (content hash, retired)."""
        ...

    async def upsert(self, question: Question, content_hash: str) -> None:
        """Insert or update a question by id."""
        ...

    async def retire(self, question_ids: Iterable[str]) -> None:
        """Retire questions (never delete: history keeps them)."""
        ...

    async def save_topic(self, topic: Topic) -> None:
        """Insert or update a topic's title and section."""
        ...

    async def topics(self) -> list[Topic]:
        """Topics with the count of live questions."""
        ...


class Duplicate(Exception):
    """A unique constraint said no: the thing already exists."""


class RoundRepository(Protocol):
    """Rounds."""

    async def add(self, round_: Round) -> Round:
        """Store a new round and return it with its id; Duplicate for a second daily."""
        ...

    async def get(self, round_id: int) -> Round | None:
        """A round by id."""
        ...

    async def many(self, round_ids: Collection[int]) -> dict[int, Round]:
        """The rounds with these ids that exist, by id."""
        ...

    async def lock(self, round_id: int) -> Round | None:
        """A round by id, locked until commit, so a concurrent close waits for this answer."""
        ...

    async def daily_on(self, channel_id: int, local_date: date) -> Round | None:
        """The channel's daily round of a local date."""
        ...

    async def times_asked(self, channel_id: int) -> dict[str, int]:
        """How often each question was asked in a channel (daily and pop)."""
        ...

    async def times_asked_in(self, channel_ids: Collection[int]) -> dict[int, dict[str, int]]:
        """times_asked of each of these channels (none asked: left out)."""
        ...

    async def daily_dates(self, channel_ids: Collection[int],
                          dates: Collection[date]) -> set[tuple[int, date]]:
        """Which of these channels have a daily round on which of these local dates."""
        ...

    async def add_dailies(self, rounds: list[Round]) -> list[Round]:
        """Store new daily rounds, leaving out any whose channel has one on its date already;
        the stored ones come back with their ids."""
        ...

    async def due_to_close(self, now: datetime) -> list[Round]:
        """Open rounds whose window has passed."""
        ...

    async def next_close_after(self, after: datetime) -> datetime | None:
        """When the next open round's window ends, later than `after`."""
        ...

    async def open_in_channel(self, channel_id: int, now: datetime) -> list[Round]:
        """Daily and pop rounds of a channel still taking answers."""
        ...

    async def close(self, round_id: int, at: datetime) -> bool:
        """Close a round; True only for the call that closed it."""
        ...

    async def set_message_refs(self, refs: Mapping[int, str]) -> None:
        """Remember the platform messages that show rounds (round id → reference)."""
        ...

    async def dailies_before(self, channel_id: int, before: date, limit: int) -> list[Round]:
        """The channel's latest daily rounds before a date, newest first."""
        ...


@dataclass(frozen=True)
class AnswerRecord:
    """An answer with what stats need about its round and question."""

    answer: Answer
    kind: str
    topic: str
    domain: str
    channel_id: int


class AnswerRepository(Protocol):
    """Answers."""

    async def add(self, answer: Answer) -> int:
        """Store an answer and return its id; AlreadyAnswered when the member answered the
        round before."""
        ...

    async def get(self, round_id: int, member_id: int) -> Answer | None:
        """A member's answer to a round."""
        ...

    async def for_round(self, round_id: int) -> list[tuple[Answer, Member]]:
        """All answers of a round with who gave them, earliest first."""
        ...

    async def results(self, member_id: int, round_ids: list[int]) -> dict[int, bool]:
        """Whether the member was right, for the rounds they answered."""
        ...

    async def practice_scored_between(self, member_id: int, start: datetime,
                                      end: datetime) -> int:
        """How many practice answers scored points in a time range."""
        ...

    async def records(self, member_id: int) -> list[AnswerRecord]:
        """Every answer of a member with its round kind, topic and domain."""
        ...

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        """The channel's latest daily rounds before a date, newest first, with whether the
        member was right (None: did not answer)."""
        ...


class DailyResults(Protocol):
    """What a streak is counted from."""

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        """The channel's latest daily rounds before a date, newest first, with whether the
        member was right (None: did not answer)."""
        ...


@dataclass(frozen=True)
class Added:
    """An answer the answer book stored: its id, and the member it is by."""

    answer_id: int
    member: Member


class AnswerBook(Protocol):
    """The answer path's storage. Each call is one statement that commits by itself (on
    PostgreSQL), so a click costs a read and a write: the write itself enforces what the read
    saw (the round still open, one answer per member) and needs no transaction around both."""

    async def answering(self, round_id: int, platform: str, workspace: str, member: str, *,
                        fresh: bool = False) -> Answering | None:
        """What a click needs, in one read: the round, its question, channel and topic title,
        the member if known and their earlier answer; None when the round is not the
        workspace's.

        Unless `fresh`, a pop quiz seen before may come from memory with no read at all: its
        round, question and channel do not change while it is open, and the member and their
        earlier answer are then left None for the write to settle (it finds or creates the
        member, and refuses a second answer)."""
        ...

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        """As AnswerRepository.daily_results."""
        ...

    async def practice_scored_between(self, member_id: int, start: datetime,
                                      end: datetime) -> int:
        """How many practice answers scored points in a time range."""
        ...

    async def add_while_open(self, answer: Answer, who: Who, member: Member | None, *,
                             close: bool) -> Added | None:
        """Store the answer and add its points to the member's totals, atomically, only if the
        round is not closed and its window is still open at answer.answered_at; while it is
        stored the round is share-locked, so a close waits for it and then counts it.

        `member` None: someone the workspace has not seen, created with the answer (as `who`;
        answer.member_id is ignored). `close`: close the round with the answer (practice).
        None when the round was closed or past its window; AlreadyAnswered when the member's
        answer got there first.
        """
        ...


class DeliveryRepository(Protocol):
    """The outbox."""

    async def add(self, delivery: Delivery) -> Delivery:
        """Store a pending delivery; Duplicate when the same post is already there."""
        ...

    async def add_posts(self, deliveries: list[Delivery]) -> None:
        """Store pending deliveries of new rounds (which cannot be there already)."""
        ...

    async def claim(self, now: datetime, owner: str, until: datetime, limit: int,
                    platform: str | None = None,
                    per_workspace: int | None = None) -> list[Delivery]:
        """Take pending deliveries that are due and not held by a live claim (only those of
        one platform, when given), counting a try for each: each workspace's oldest first,
        then each one's second, so that a batch spreads over the workspaces; none beyond a
        workspace's `per_workspace` oldest pending ones (those in flight count)."""
        ...

    async def reserve(self, claimed: list[Delivery], now: datetime,
                      spacing: Mapping[str, timedelta]) -> list[Delivery]:
        """Give each claimed post of a platform in `spacing` (platform → the least time
        between two posts to one workspace) its start (send_at), from its workspace's next
        free slot, no earlier than `now`, and advance that slot: every deliverer's claims
        share the platform's rate rather than divide it."""
        ...

    async def extend(self, delivery_ids: list[int], owner: str, until: datetime) -> None:
        """Keep holding deliveries still being posted."""
        ...

    async def finish(self, done: Mapping[int, str | None], owner: str,
                     at: datetime) -> set[int]:
        """Mark claimed deliveries done, each with its message reference (delivery id →
        reference); returns the ids this owner still held (the others were taken over)."""
        ...

    async def retry(self, delivery_id: int, owner: str, not_before: datetime,
                    error: str) -> bool:
        """Give a claimed delivery back, to be tried again from `not_before`."""
        ...

    async def drop(self, delivery_id: int, reason: str) -> None:
        """Give a delivery up: it can never go out, or must not any more."""
        ...

    async def of_round(self, round_id: int, kind: DeliveryKind) -> Delivery | None:
        """A round's question or reveal delivery, locked for this transaction."""
        ...

    async def get(self, delivery_id: int) -> Delivery | None:
        """A delivery by id."""
        ...

    async def next_after(self, after: datetime) -> datetime | None:
        """When the earliest pending delivery later than `after` may be tried."""
        ...


class MemoryRepository(Protocol):
    """Each member's spaced-repetition state per question."""

    async def locked(self, member_id: int, question_ids: Collection[str]) -> dict[str, Memory]:
        """The member's memories of these questions by question, locked for this transaction so
        that two writers do not lose a review."""
        ...

    async def save(self, workspace_id: int, memories: Sequence[Memory]) -> None:
        """Insert or replace memories."""
        ...

    async def of_member(self, member_id: int) -> list[Memory]:
        """Every memory of a member."""
        ...

    async def to_take_in(self, member_id: int) -> list[Recall]:
        """The member's answers their memories have not taken in, oldest first, locked for this
        transaction so that two readers do not take one answer in twice."""
        ...

    async def taken_in(self, answer_ids: list[int]) -> None:
        """Mark answers as taken into their members' memories."""
        ...


class ReportRepository(Protocol):
    """Members' reports of problems with questions."""

    async def add(self, report: Report) -> None:
        """Store a report."""
        ...

    async def open_in(self, workspace_id: int) -> list[Report]:
        """A workspace's reports not yet cleared."""
        ...

    async def open(self) -> list[Report]:
        """Every report not yet cleared, in every workspace."""
        ...

    async def clear(self, question_id: str, at: datetime) -> int:
        """Mark a question's open reports cleared; how many there were."""
        ...


class ExamRepository(Protocol):
    """Mock exams, so one survives a restart and resumes where the member was."""

    async def add(self, exam: Exam) -> Exam:
        """Store a new exam and return it with its id."""
        ...

    async def lock(self, exam_id: int) -> Exam | None:
        """An exam by id, locked until commit, so a double click records one answer."""
        ...

    async def running(self, member_id: int) -> Exam | None:
        """The member's unfinished exam, locked until commit."""
        ...

    async def save(self, exam: Exam) -> None:
        """Store an exam's answers and whether it is finished."""
        ...

    async def of_member(self, member_id: int) -> list[Exam]:
        """Every exam of a member, finished or not."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository."""

    workspaces: WorkspaceRepository
    channels: ChannelRepository
    members: MemberRepository
    questions: QuestionRepository
    rounds: RoundRepository
    answers: AnswerRepository
    deliveries: DeliveryRepository
    memories: MemoryRepository
    reports: ReportRepository
    exams: ExamRepository

    async def __aenter__(self) -> UnitOfWork:
        """Begin."""
        ...

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        """Roll back whatever was not committed."""
        ...

    async def commit(self) -> None:
        """Commit the work."""
        ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work."""

    def __call__(self) -> UnitOfWork:
        """A new, not yet entered, unit of work."""
        ...


@dataclass(frozen=True)
class Score:
    """One scored answer as a leaderboard sees it."""

    workspace_id: int
    channel_id: int
    member_id: int
    member_name: str
    points: int
    at: datetime
    squad: bool = True  # practice points count for people, not for channels
    answer_id: int = 0  # makes recording idempotent: an answer counts once however often sent


class Leaderboard(Protocol):
    """Standings: a fast path (Redis) or the truth (SQL)."""

    async def record(self, score: Score) -> None:
        """Add a scored answer (after SQL has committed it)."""
        ...

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        """Top members of a workspace for a period."""
        ...

    async def rank_of(self, workspace_id: int, period: Period, at: datetime,
                      member_id: int) -> Standing | None:
        """One member's rank and points (None without points)."""
        ...

    async def movers(self, workspace_id: int, at: datetime, limit: int) -> list[tuple[str, int]]:
        """Who climbed the all-time board most this week: (name, places gained)."""
        ...

    async def squads(self, workspace_id: int, period: Period, at: datetime) -> list[Standing]:
        """Channels ranked by points per active member."""
        ...


@dataclass(frozen=True)
class PostKey:
    """Names one post across tries: where an earlier try may have reached the platform
    (`retry`), the poster looks for it (or lets the platform match it) instead of posting
    again."""

    name: str
    retry: bool = False


class Poster(Protocol):
    """Posts to a platform's channels on the deliverer's behalf. A post may raise ChannelGone,
    WorkspaceGone, or RateLimited (nothing posted; the deliverer gives it another turn)."""

    async def post_question(self, target: Target, view: QuestionView,
                            key: PostKey | None = None) -> str | None:
        """Post a question; return the platform's message reference."""
        ...

    async def post_reveal(self, target: Target, message_ref: str | None,
                          view: RevealView, key: PostKey | None = None) -> None:
        """Show the reveal, editing the question's message where there is one."""
        ...

    async def post_board(self, target: Target, view: BoardView,
                         key: PostKey | None = None) -> str | None:
        """Post a leaderboard."""
        ...


class WorkspaceGone(Exception):
    """The platform says the app is no longer installed there (revoked or uninstalled)."""


class ChannelGone(Exception):
    """The platform says the channel is gone or closed to the bot; stop posting there."""


class RateLimited(Exception):
    """The platform refused a post for now, under a rate its caller paces: nothing was
    posted, and it may be tried again once `retry_after` seconds have passed."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:g} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Answering:
    """Everything an answer is checked and scored against, read in one go."""

    round: Round
    question: Question
    channel: Channel
    topic_title: str
    member: Member | None
    previous: Answer | None
