"""The documents table and its tags: markdown documents with a publishing lifecycle.

Lifecycle: `draft` -> `published` (publish) -> `archived` (archive); a draft may also be
archived directly. Drafts and archived documents are visible to their author and admins;
published ones to every authenticated user. Ownership policy as for items: deleting a user
deletes the documents they wrote (foreign key `ON DELETE CASCADE`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from app.infra.column_types import EnumText, UTCDateTime, utcnow


class DocumentStatus(StrEnum):
    """As the spec's `DocumentStatus` enum (a contract test keeps them equal)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


_VERSION = Column("version", Integer, nullable=False)


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s.value}'" for s in DocumentStatus)),
            name="ck_documents_status",
        ),
        Index("ix_documents_author_created", "author_id", "created_at"),
        Index("ix_documents_status_published", "status", "published_at"),
        {"sqlite_autoincrement": True},
    )
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _VERSION}

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    title: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    content: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: DocumentStatus = Field(
        default=DocumentStatus.DRAFT,
        sa_column=Column(EnumText(DocumentStatus, 16), nullable=False),
    )
    published_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )
    version: int | None = Field(default=None, sa_column=_VERSION)  # set by the ORM
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )


class DocumentTag(SQLModel, table=True):
    __tablename__ = "document_tags"

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(String(32), primary_key=True, index=True))
