"""Each member's points per period, kept with every answer, so boards never sum the answers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "member_points",
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE",
                                name=op.f("fk_member_points_workspace_id_workspaces")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE",
                                name=op.f("fk_member_points_member_id_members")),
        sa.PrimaryKeyConstraint("workspace_id", "period", "member_id",
                                name=op.f("pk_member_points")),
    )
    # Top N and "how many have more than me" are range reads of this index.
    op.create_index("ix_member_points_board", "member_points",
                    ["workspace_id", "period", "points"])
    op.create_index("ix_member_points_member_id", "member_points", ["member_id"])
    # Existing answers: all time, and each UTC ISO week they fall in.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT workspace_id, member_id, answered_at, points FROM answers WHERE points > 0"))
    totals: dict[tuple[int, str, int], int] = {}
    for workspace_id, member_id, answered_at, points in rows:
        if isinstance(answered_at, str):
            from datetime import datetime

            answered_at = datetime.fromisoformat(answered_at)
        year, week, _ = answered_at.isocalendar()
        for period in ("all", f"w:{year}-{week:02d}"):
            key = (workspace_id, period, member_id)
            totals[key] = totals.get(key, 0) + int(points)
    if totals:
        op.bulk_insert(sa.table("member_points", sa.column("workspace_id"),
                                sa.column("period"), sa.column("member_id"),
                                sa.column("points")),
                       [{"workspace_id": w, "period": p, "member_id": m, "points": n}
                        for (w, p, m), n in totals.items()])


def downgrade() -> None:
    op.drop_index("ix_member_points_member_id", table_name="member_points")
    op.drop_index("ix_member_points_board", table_name="member_points")
    op.drop_table("member_points")
