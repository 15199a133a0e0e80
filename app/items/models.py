"""The items table and its tags: objects owned by one user.

Ownership policy: an item belongs to its owner's account and goes with it. Deleting a user
deletes their items (foreign key `ON DELETE CASCADE`, on PostgreSQL and SQLite alike), and
an item's tags go with the item. Nothing is reassigned.

`version` is SQLAlchemy's version counter: every UPDATE checks and bumps it, so two writers
that read the same version cannot both win, and it is the item's ETag.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Numeric, String, Text
from sqlmodel import Field, SQLModel

from app.infra.column_types import UTCDateTime, utcnow

PRICE_DIGITS, PRICE_PLACES = 14, 2
_VERSION = Column("version", Integer, nullable=False)


class Item(SQLModel, table=True):
    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_owner_created", "owner_id", "created_at"),
        {"sqlite_autoincrement": True},
    )
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _VERSION}

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    name: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    price: Decimal = Field(
        sa_column=Column(
            Numeric(PRICE_DIGITS, PRICE_PLACES, asdecimal=True), nullable=False, index=True
        )
    )
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int | None = Field(default=None, sa_column=_VERSION)  # set by the ORM
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )


class ItemTag(SQLModel, table=True):
    """One tag of one item (a table, not an array column: filterable and indexed on both
    backends)."""

    __tablename__ = "item_tags"

    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(String(32), primary_key=True, index=True))
