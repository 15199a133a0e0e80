"""Lists, the same way for every resource: offset pages with exact totals, a sort field from
a per-resource allow-list with a unique tiebreaker, and the shared filters (`q` substring
search, created-at window).

Services build a select with their own visibility rules and filters, then call `page_of`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy import ColumnElement, false, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import InvalidInputError, field_error

T = TypeVar("T")
Order = Literal["asc", "desc"]
LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class PageRequest:
    """Which page, how it is sorted (the field is checked against the spec's enum first)."""

    page: int = 1
    size: int = 20
    sort: str = "created_at"
    order: Order = "desc"


@dataclass(frozen=True)
class PageResult(Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.size) if self.total else 0


def paginate(
    session: Session, statement: SelectOfScalar[T], *, page: int, size: int, order_by: Any
) -> PageResult[T]:
    """One page of `statement`, ordered (with the caller adding a unique tiebreaker).

    A page past the end is an empty list with the true total, not an error."""
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(*order_by).offset((page - 1) * size).limit(size)).all()
    return PageResult(items=list(rows), total=int(total), page=page, size=size)


def page_of(
    session: Session,
    statement: SelectOfScalar[T],
    request: PageRequest,
    *,
    sortable: Mapping[str, Any],
    tiebreaker: Any,
) -> PageResult[T]:
    """`paginate` sorted by `request.sort` (a key of `sortable`), then by `tiebreaker` (a
    unique column, ascending) so pages never overlap or skip rows with equal sort keys."""
    if request.sort not in sortable:
        allowed = ", ".join(sortable)
        raise InvalidInputError(
            f"Cannot sort by {request.sort!r}.",
            code="invalid_parameter",
            errors=[field_error("query", "sort", f"Must be one of: {allowed}.")],
        )
    column = col(sortable[request.sort])
    primary = column.asc() if request.order == "asc" else column.desc()
    order_by = [primary] if sortable[request.sort] is tiebreaker else [primary, col(tiebreaker)]
    return paginate(session, statement, page=request.page, size=request.size, order_by=order_by)


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern: `%`, `_` and the escape itself match
    themselves (use with `escape=LIKE_ESCAPE`)."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def contains_text(text: str, *columns: Any) -> ColumnElement[bool]:
    """Case-insensitive substring match of `text` in any of `columns` (the `q` filter)."""
    pattern = f"%{escape_like(text)}%"
    return or_(*(col(c).ilike(pattern, escape=LIKE_ESCAPE) for c in columns))


def created_window(
    column: Any, after: datetime | None, before: datetime | None
) -> list[ColumnElement[bool]]:
    """Conditions for `created_after < created_at < created_before` (both exclusive). An
    empty or inverted window matches nothing (an empty page, not an error: each bound is
    valid on its own, and the spec cannot express a constraint between two parameters)."""
    if after is not None and before is not None and before <= after:
        return [false()]
    conditions: list[ColumnElement[bool]] = []
    if after is not None:
        conditions.append(col(column) > after)
    if before is not None:
        conditions.append(col(column) < before)
    return conditions
