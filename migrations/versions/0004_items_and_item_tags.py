"""Items and their tags: owned by a user, deleted with the user (ON DELETE CASCADE).

Indexes serve the list queries: the owner's newest first (owner_id, created_at), the sort
fields (name, price, created_at, updated_at) and the tag filter.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.infra.column_types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_INDEXES = {
    "ix_items_created_at": ["created_at"],
    "ix_items_name": ["name"],
    "ix_items_owner_created": ["owner_id", "created_at"],
    "ix_items_price": ["price"],
    "ix_items_updated_at": ["updated_at"],
}


def upgrade() -> None:
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    for name, columns in ITEM_INDEXES.items():
        op.create_index(name, "items", columns)
    op.create_table(
        "item_tags",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "tag"),
    )
    op.create_index("ix_item_tags_tag", "item_tags", ["tag"])


def downgrade() -> None:
    op.drop_index("ix_item_tags_tag", table_name="item_tags")
    op.drop_table("item_tags")
    for name in ITEM_INDEXES:
        op.drop_index(name, table_name="items")
    op.drop_table("items")
