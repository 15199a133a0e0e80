"""Recipes the model generated for a user. Owned like items: deleting the user deletes them
(ON DELETE CASCADE). The answer's lists are stored as JSON; `prompt_version` names the
template that produced them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Float, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from app.infra.column_types import UTCDateTime, utcnow


class Recipe(SQLModel, table=True):
    __tablename__ = "recipes"
    __table_args__ = (
        Index("ix_recipes_owner_created", "owner_id", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    title: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    ingredients: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    instructions: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    cooking_time: int = Field(sa_column=Column(Integer, nullable=False, index=True))
    difficulty: str = Field(sa_column=Column(String(10), nullable=False))
    confidence_score: float = Field(sa_column=Column(Float, nullable=False))
    cuisine_type: str | None = Field(default=None, sa_column=Column(String(50)))
    dietary_restrictions: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    prompt_version: str = Field(sa_column=Column(String(40), nullable=False))
    provider: str = Field(sa_column=Column(String(32), nullable=False))
    model: str = Field(sa_column=Column(String(100), nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
