"""AI budgets: daily counters (tokens and micro-dollars per user or API key and UTC day,
used when there is no Redis), a daily USD cap per API key, and the key behind each usage
row and job (so a key's spend can be counted and capped).

No foreign keys on `api_key_id`: usage is accounting and outlives the key, and a job is
deleted with its owner (and the owner's keys) anyway.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_budget_counters",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tokens", sa.BigInteger(), nullable=False),
        sa.Column("usd_micros", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "day"),
    )
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("daily_usd", sa.Numeric(12, 6), nullable=True))
    with op.batch_alter_table("ai_usage") as batch:
        batch.add_column(sa.Column("api_key_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("api_key_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("api_key_id")
    with op.batch_alter_table("ai_usage") as batch:
        batch.drop_column("api_key_id")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("daily_usd")
    op.drop_table("ai_budget_counters")
