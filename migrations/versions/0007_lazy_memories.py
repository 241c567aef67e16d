"""Answers taken into the spaced-repetition memories lazily: a flag per answer

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("answers", sa.Column("remembered", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    # Until now every answer was taken in as it was stored (or, before 0006, never will be).
    op.execute("UPDATE answers SET remembered = true")


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("remembered")
