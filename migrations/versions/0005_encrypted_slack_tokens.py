"""Slack tokens encrypted at rest: token columns widened for Fernet ciphertext, and the tokens
already stored encrypted when TOKEN_ENCRYPTION_KEY is set (else `quizbot tokens rotate` does it
once a key is set)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import os
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, MultiFernet

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "fernet:"  # as bot/adapters/token_cipher.py writes them
COLUMNS = {"slack_installations": ("bot_token", "bot_refresh_token", "user_token",
                                   "user_refresh_token"),
           "slack_bots": ("bot_token", "bot_refresh_token")}


def _fernet() -> MultiFernet | None:
    value = (context.config.attributes.get("token_encryption_key")
             or os.environ.get("TOKEN_ENCRYPTION_KEY") or "")
    keys = [key.strip() for key in value.split(",") if key.strip()]
    return MultiFernet([Fernet(key) for key in keys]) if keys else None


def _rewrite(change: Callable[[str], str]) -> None:
    bind = op.get_bind()
    for table, columns in COLUMNS.items():
        rows = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}"))
        for row in rows.mappings().all():
            values = {c: change(row[c]) for c in columns if row[c] is not None}
            values = {c: v for c, v in values.items() if v != row[c]}
            if values:
                sets = ", ".join(f"{c} = :{c}" for c in values)
                bind.execute(sa.text(f"UPDATE {table} SET {sets} WHERE id = :row_id"),
                             {**values, "row_id": row["id"]})


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.String(200),
                                   existing_nullable=True)
    fernet = _fernet()
    if fernet is not None:
        _rewrite(lambda token: token if token.startswith(PREFIX)
                 else PREFIX + fernet.encrypt(token.encode()).decode())


def downgrade() -> None:
    fernet = _fernet()

    def opened(token: str) -> str:
        if not token.startswith(PREFIX):
            return token
        if fernet is None:
            raise RuntimeError("Slack tokens are encrypted: set TOKEN_ENCRYPTION_KEY to "
                               "downgrade, so they can be stored in plain text again.")
        return fernet.decrypt(token[len(PREFIX):].encode()).decode()

    _rewrite(opened)
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.String(200), existing_type=sa.Text(),
                                   existing_nullable=True)
