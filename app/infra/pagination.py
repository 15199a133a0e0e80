"""Offset pagination over a SQLModel select: one page of rows plus exact totals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

T = TypeVar("T")


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
    """One page of `statement`, ordered (with the caller adding a unique tiebreaker)."""
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(*order_by).offset((page - 1) * size).limit(size)).all()
    return PageResult(items=list(rows), total=int(total), page=page, size=size)
