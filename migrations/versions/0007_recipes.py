"""Recipes generated for users, deleted with their owner (ON DELETE CASCADE).

Indexes serve the list: the owner's newest first, and the sort fields (title,
cooking_time, created_at).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.infra.column_types import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_recipes_owner_created": ["owner_id", "created_at"],
    "ix_recipes_title": ["title"],
    "ix_recipes_cooking_time": ["cooking_time"],
    "ix_recipes_created_at": ["created_at"],
}


def upgrade() -> None:
    op.create_table(
        "recipes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("ingredients", sa.JSON(), nullable=False),
        sa.Column("instructions", sa.JSON(), nullable=False),
        sa.Column("cooking_time", sa.Integer(), nullable=False),
        sa.Column("difficulty", sa.String(length=10), nullable=False),
        sa.Column("confidence_score", sa.Float(), nullable=False),
        sa.Column("cuisine_type", sa.String(length=50), nullable=True),
        sa.Column("dietary_restrictions", sa.JSON(), nullable=False),
        sa.Column("prompt_version", sa.String(length=40), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "recipes", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="recipes")
    op.drop_table("recipes")
