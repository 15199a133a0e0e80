"""Documents and their tags: a draft/published/archived lifecycle, written by a user and
deleted with them (ON DELETE CASCADE).

Indexes serve the list queries: an author's newest first, published ones by publication
time, the sort fields (title, created_at, updated_at) and the tag filter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.infra.column_types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT_INDEXES = {
    "ix_documents_author_created": ["author_id", "created_at"],
    "ix_documents_created_at": ["created_at"],
    "ix_documents_status_published": ["status", "published_at"],
    "ix_documents_title": ["title"],
    "ix_documents_updated_at": ["updated_at"],
}


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'archived')", name="ck_documents_status"
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    for name, columns in DOCUMENT_INDEXES.items():
        op.create_index(name, "documents", columns)
    op.create_table(
        "document_tags",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "tag"),
    )
    op.create_index("ix_document_tags_tag", "document_tags", ["tag"])


def downgrade() -> None:
    op.drop_index("ix_document_tags_tag", table_name="document_tags")
    op.drop_table("document_tags")
    for name in DOCUMENT_INDEXES:
        op.drop_index(name, table_name="documents")
    op.drop_table("documents")
