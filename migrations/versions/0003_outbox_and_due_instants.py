"""The outbox of posts, each channel's next due instants, handled platform requests

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.add_column(sa.Column("next_daily_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("next_weekly_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_channels_next_due_at", ["next_due_at"], unique=False)
    op.create_table(
        "deliveries",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("round_id", Id, nullable=True),
        sa.Column("iso_year", sa.Integer(), nullable=True),
        sa.Column("iso_week", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("message_ref", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE",
                                name=op.f("fk_deliveries_workspace_id_workspaces")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE",
                                name=op.f("fk_deliveries_channel_id_channels")),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], ondelete="CASCADE",
                                name=op.f("fk_deliveries_round_id_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("kind", "round_id", name=op.f("uq_deliveries_kind_round_id")),
        sa.UniqueConstraint("channel_id", "kind", "iso_year", "iso_week",
                            name=op.f("uq_deliveries_channel_id_kind_iso_year_iso_week")),
    )
    op.create_index("ix_deliveries_workspace_id", "deliveries", ["workspace_id"])
    op.create_index("ix_deliveries_channel_id", "deliveries", ["channel_id"])
    op.create_index("ix_deliveries_not_before", "deliveries", ["not_before"])
    op.create_table(
        "handled_requests",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_handled_requests")),
    )
    op.create_index("ix_handled_requests_handled_at", "handled_requests", ["handled_at"])
    # The outbox's unique (channel, kind, ISO week) now keeps one board per channel and week.
    op.drop_table("weekly_posts")


def downgrade() -> None:
    op.create_table(
        "weekly_posts",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("iso_year", sa.Integer(), nullable=False),
        sa.Column("iso_week", sa.Integer(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE",
                                name=op.f("fk_weekly_posts_channel_id_channels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_posts")),
        sa.UniqueConstraint("channel_id", "iso_year", "iso_week",
                            name=op.f("uq_weekly_posts_channel_id_iso_year_iso_week")),
    )
    op.drop_index("ix_handled_requests_handled_at", table_name="handled_requests")
    op.drop_table("handled_requests")
    op.drop_index("ix_deliveries_not_before", table_name="deliveries")
    op.drop_index("ix_deliveries_channel_id", table_name="deliveries")
    op.drop_index("ix_deliveries_workspace_id", table_name="deliveries")
    op.drop_table("deliveries")
    with op.batch_alter_table("channels") as batch:
        batch.drop_index("ix_channels_next_due_at")
        batch.drop_column("next_due_at")
        batch.drop_column("next_weekly_at")
        batch.drop_column("next_daily_at")
