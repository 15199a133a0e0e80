"""Tags kept in a side table per resource (`item_tags`, `document_tags`): filterable and
indexed on PostgreSQL and SQLite alike, unlike an array column."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from app.infra.db import UnitOfWork


def tags_of(
    uow: UnitOfWork, owner_column: Any, tag_column: Any, ids: Sequence[int]
) -> dict[int, list[str]]:
    """Each id's tags, sorted; one query for a whole page."""
    out: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        rows = uow.session.exec(
            select(owner_column, tag_column)
            .where(col(owner_column).in_(ids))
            .order_by(col(owner_column), col(tag_column))
        ).all()
        for object_id, tag in rows:
            out[object_id].append(tag)
    return out


def replace_tags(
    uow: UnitOfWork,
    model: Any,
    owner_field: str,
    object_id: int,
    tags: Iterable[str],
    *,
    new: bool = False,
) -> list[str]:
    """Set the object's tags to `tags` (deduplicated, sorted) inside the open transaction;
    `new`: the object was just created, so there are none to delete (one round trip less)."""
    session = uow.session
    if not new:
        session.execute(delete(model).where(getattr(model, owner_field) == object_id))
    unique = sorted(set(tags))
    session.add_all(model(**{owner_field: object_id, "tag": t}) for t in unique)
    return unique


def tagged(owner_column: Any, tag_column: Any, tag: str) -> Any:
    """A subquery of the ids carrying `tag` (for `.where(col(Model.id).in_(...))`)."""
    return select(owner_column).where(tag_column == tag)
