"""Learning: each member's spaced-repetition memory of each question, question reports,
mock exams

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "memories",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("missed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE",
                                name=op.f("fk_memories_workspace_id_workspaces")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_memories_member_id_members")),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"],
                                name=op.f("fk_memories_question_id_questions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memories")),
        sa.UniqueConstraint("member_id", "question_id",
                            name=op.f("uq_memories_member_id_question_id")),
    )
    op.create_index("ix_memories_workspace_id", "memories", ["workspace_id"])
    op.create_index("ix_memories_due", "memories", ["due"])
    op.create_table(
        "question_reports",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("round_id", Id, nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE",
                                name=op.f("fk_question_reports_workspace_id_workspaces")),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"],
                                name=op.f("fk_question_reports_question_id_questions")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_question_reports_member_id_members")),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], ondelete="SET NULL",
                                name=op.f("fk_question_reports_round_id_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_reports")),
    )
    op.create_index("ix_question_reports_workspace_id", "question_reports", ["workspace_id"])
    op.create_index("ix_question_reports_question_id", "question_reports", ["question_id"])
    op.create_table(
        "exams",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE",
                                name=op.f("fk_exams_workspace_id_workspaces")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_exams_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exams")),
    )
    op.create_index("ix_exams_workspace_id", "exams", ["workspace_id"])
    op.create_index("ix_exams_member_id", "exams", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_exams_member_id", table_name="exams")
    op.drop_index("ix_exams_workspace_id", table_name="exams")
    op.drop_table("exams")
    op.drop_index("ix_question_reports_question_id", table_name="question_reports")
    op.drop_index("ix_question_reports_workspace_id", table_name="question_reports")
    op.drop_table("question_reports")
    op.drop_index("ix_memories_due", table_name="memories")
    op.drop_index("ix_memories_workspace_id", table_name="memories")
    op.drop_table("memories")
