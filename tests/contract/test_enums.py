"""Enums that live both in the spec and in code or tables are the same set."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role, User
from app.contract.spec import load_spec
from app.documents.models import DocumentStatus
from tests.auth_helpers import resources


def test_role_equals_the_spec_role_enum() -> None:
    spec_roles = load_spec()["components"]["schemas"]["Role"]["enum"]
    assert sorted(spec_roles) == sorted(r.value for r in Role)


def test_every_x_roles_entry_is_a_role() -> None:
    spec = load_spec()
    used = {
        role
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for role in op.get("x-roles", [])
    }
    assert used <= {r.value for r in Role}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_database_accepts_every_role(app, role: str) -> None:
    with resources(app).db.transaction() as session:
        session.add(User(email=f"{role}@example.com", full_name="x", password_hash="h", role=role))


def test_the_database_refuses_other_roles(app) -> None:
    # The migrated CHECK constraint, not only the model's type, holds the role set.
    insert = text(
        "INSERT INTO users (email, full_name, password_hash, role, is_active, session_stamp,"
        " created_at, updated_at) VALUES ('w@example.com', 'w', 'h', :role, true, 's',"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    with pytest.raises(IntegrityError), resources(app).db.transaction() as session:
        session.execute(insert, {"role": "wizard"})
    with resources(app).db.transaction() as session:  # the control: a real role is fine
        session.execute(insert, {"role": "readonly"})


def test_document_status_equals_the_spec_enum() -> None:
    spec_statuses = load_spec()["components"]["schemas"]["DocumentStatus"]["enum"]
    assert sorted(spec_statuses) == sorted(s.value for s in DocumentStatus)


def test_the_database_refuses_other_document_statuses(app, member) -> None:
    insert = text(
        "INSERT INTO documents (author_id, title, content, status, version, created_at,"
        " updated_at) VALUES (:a, 't', '', 'deleted', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    with pytest.raises(IntegrityError), resources(app).db.transaction() as session:
        session.execute(insert, {"a": member.user.id})
