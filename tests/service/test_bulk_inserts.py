"""Several new rows of one table in one flush: SQLAlchemy sends them as one multi-row
INSERT ... RETURNING ("insertmanyvalues"), whose bound values reach the engine's NUL guard
as one flat tuple. They are stored, and a NUL among them is still refused (422), on
PostgreSQL and SQLite alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from app.errors import InvalidInputError
from app.items.models import Item
from tests.auth_helpers import make_user, resources


def items(app: Any) -> list[str]:
    with resources(app).db.transaction() as session:
        return sorted(i.name for i in session.exec(select(Item)).all())


def test_several_rows_in_one_flush_are_stored(app: Any) -> None:
    owner = make_user(app, "bulk@example.com")
    with resources(app).db.transaction() as session:
        session.add_all(
            Item(owner_id=owner.id, name=f"bulk {i}", price=Decimal("1.00")) for i in range(3)
        )
    assert items(app) == ["bulk 0", "bulk 1", "bulk 2"]


def test_a_nul_among_them_is_refused_and_nothing_stored(app: Any) -> None:
    owner = make_user(app, "bulk-nul@example.com")
    with pytest.raises(InvalidInputError), resources(app).db.transaction() as session:
        session.add_all(
            [
                Item(owner_id=owner.id, name="fine", price=Decimal("1.00")),
                Item(owner_id=owner.id, name="bad\x00name", price=Decimal("1.00")),
            ]
        )
    assert items(app) == []
