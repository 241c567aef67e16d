"""The database tables, as typed SQLAlchemy 2 mappings; Alembic owns their schema."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database; SQLite stores them naive, so we add UTC back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC; naive for SQLite so its text comparisons stay in order."""
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read back as aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Every table of the bot."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime(), dict[str, Any]: JSON}


class WorkspaceRow(Base):
    """A tenant: a Slack workspace, a Discord guild, or the terminal."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # The earliest start of the next post to the workspace that a claim may give out: the
    # platform's rate per workspace, shared by every worker through this row.
    next_post_at: Mapped[datetime | None]


class ChannelRow(Base):
    """A channel and its settings."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    daily_time: Mapped[str | None] = mapped_column(String(5))  # "09:30" local
    zone: Mapped[str] = mapped_column(String(64), default="UTC")
    days: Mapped[str] = mapped_column(String(7), default="1111100")  # Monday first
    window_minutes: Mapped[int] = mapped_column(Integer, default=480)
    pop_window_minutes: Mapped[int] = mapped_column(Integer, default=10)
    topics: Mapped[str] = mapped_column(Text, default="")  # comma-separated; empty = all
    weekly_day: Mapped[int | None] = mapped_column(Integer)
    weekly_time: Mapped[str] = mapped_column(String(5), default="16:00")
    disabled: Mapped[str | None] = mapped_column(Text)
    # When the scheduling pass next has work here (computed by the domain from the settings):
    # the earliest of next_daily_at and next_weekly_at, indexed so a pass reads only due rows.
    next_daily_at: Mapped[datetime | None]
    next_weekly_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)


class MemberRow(Base):
    """A person in one workspace."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")


class TopicRow(Base):
    """A topic of the bank."""

    __tablename__ = "topics"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(200), default="")


class QuestionRow(Base):
    """A question as synced from the bank; retired, never deleted."""

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), index=True)
    domain: Mapped[str] = mapped_column(String(20))
    difficulty: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[list[int]] = mapped_column(JSON)  # 0-based
    explanation: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(32))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class RoundRow(Base):
    """One asking of a question; one daily round per channel and local date."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("channel_id", "local_date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"),
                                            index=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    kind: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime]
    closes_at: Mapped[datetime] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    local_date: Mapped[date | None] = mapped_column(Date)  # set for daily rounds only
    seed: Mapped[int] = mapped_column(BigInteger)
    message_ref: Mapped[str | None] = mapped_column(String(200))


class AnswerRow(Base):
    """One member's answer to a round; the unique key keeps only the first."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"),
                                           index=True)
    choices: Mapped[list[int]] = mapped_column(JSON)  # 0-based question choice indexes
    correct: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer)
    streak: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime] = mapped_column(index=True)
    # Taken into the member's spaced-repetition memory: that happens when the memory is next
    # read, not on the click (see services/recall.py).
    remembered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class DeliveryRow(Base):
    """The outbox: a post committed with the round or week it belongs to, sent by a deliverer.

    kind is question, reveal or board; a reveal and a question name their round, a board its
    ISO week. status is pending, done or dropped. A deliverer claims a pending row until
    claimed_until; a row whose claim expired is taken over by another.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("kind", "round_id"),
                      UniqueConstraint("channel_id", "kind", "iso_year", "iso_week"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(10))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    iso_year: Mapped[int | None] = mapped_column(Integer)
    iso_week: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(index=True)
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    message_ref: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class HandledRequestRow(Base):
    """A platform request already handled (Slack trigger or action, Discord interaction id),
    kept for the platforms' 5-minute replay window so a retry to any process has one effect."""

    __tablename__ = "handled_requests"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(index=True)


class MemoryRow(Base):
    """A member's spaced-repetition state for one question (FSRS card fields) and their latest
    miss not yet put right."""

    __tablename__ = "memories"
    __table_args__ = (UniqueConstraint("member_id", "question_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(index=True)
    last_review: Mapped[datetime | None]
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    missed_at: Mapped[datetime | None]


class ReportRow(Base):
    """A member's report of a problem with a question; cleared, never deleted."""

    __tablename__ = "question_reports"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]


class ExamRow(Base):
    """A member's mock exam: its questions, answers so far (choice indexes or null), deadline."""

    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"),
                                           index=True)
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    answers: Mapped[list[list[int] | None]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class MemberPointsRow(Base):
    """A member's points in a period ('all', or 'w:2027-12' for an ISO week in UTC), kept with
    every answer in the same statement, so a board reads a few index entries, never the answers."""

    __tablename__ = "member_points"
    __table_args__ = (Index("ix_member_points_board", "workspace_id", "period", "points"),)

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    points: Mapped[int] = mapped_column(Integer)


# slack_sdk's installation and OAuth state stores keep their rows in the bot's own database;
# declaring their tables here lets Alembic own and check them like every other table.
def _slack_tables() -> None:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    bots = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
    installations = SQLAlchemyInstallationStore.build_installations_table(Base.metadata,
                                                                          "slack_installations")
    # Tokens are stored encrypted (migration 0005), longer than slack_sdk's String(200).
    for table in (bots, installations):
        for column in table.columns:
            if column.name.endswith("_token"):
                column.type = Text()
    SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")


_slack_tables()
