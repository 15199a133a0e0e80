"""Session stamps on users; ids never reused on SQLite (AUTOINCREMENT on every table).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("users", "api_keys", "refresh_tokens")


def _stamp_each_user() -> None:
    """Every existing account gets a stamp of its own, as new accounts do (stamps must
    differ between accounts). Tokens issued before this migration lack the claim anyway and
    must be renewed by logging in again."""
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_stamp", sa.String))
    bind = op.get_bind()
    for (user_id,) in bind.execute(sa.select(users.c.id)).all():
        bind.execute(
            users.update().where(users.c.id == user_id).values(session_stamp=secrets.token_hex(16))
        )


def upgrade() -> None:
    # The server default only fills the column for existing rows; it is dropped below.
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("session_stamp", sa.String(length=32), nullable=False, server_default="0")
        )
    _stamp_each_user()
    # AUTOINCREMENT is fixed at table creation, so on SQLite each table is rebuilt (rows and
    # ids kept; migrations/env.py turns foreign keys off, or dropping the old `users` table
    # would cascade-delete every API key and refresh token).
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        with op.batch_alter_table(
            table,
            recreate="always" if sqlite else "auto",
            table_kwargs={"sqlite_autoincrement": True} if sqlite else {},
        ) as batch_op:
            if table == "users":
                batch_op.alter_column(
                    "session_stamp", existing_type=sa.String(length=32), server_default=None
                )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_stamp")
