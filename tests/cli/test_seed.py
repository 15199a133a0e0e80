"""`flask db seed demo`: idempotent demo data whose printed credentials work."""

from __future__ import annotations

from typing import Any

import connexion
import pytest
from click.testing import Result
from sqlmodel import func, select
from starlette.testclient import TestClient

from app.accounts.models import User
from app.documents.models import Document
from app.items.models import Item
from app.main import create_app
from tests.auth_helpers import resources

DEMO = {
    "admin": ("admin@example.com", "demo-admin-password"),
    "user": ("user@example.com", "demo-user-password"),
    "readonly": ("readonly@example.com", "demo-readonly-password"),
}


def seed(app: connexion.FlaskApp, *args: str) -> Result:
    return app.app.test_cli_runner().invoke(args=["db", "seed", *args])


def counts(app: connexion.FlaskApp) -> tuple[int, int, int]:
    with resources(app).db.transaction() as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (User, Item, Document)
        )


def token(client: TestClient, role: str) -> dict[str, str]:
    email, password = DEMO[role]
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def data(client: TestClient, url: str, headers: dict[str, str]) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_demo_seed_prints_working_credentials_and_covers_every_status(
    app: connexion.FlaskApp, client: TestClient
) -> None:
    result = seed(app, "demo")
    assert result.exit_code == 0, result.output
    assert "4 item(s), 4 document(s) created" in result.output
    for role, (email, password) in DEMO.items():
        line = next(ln for ln in result.output.splitlines() if email in ln)
        assert role in line and password in line and "created" in line
    assert counts(app) == (3, 4, 4)

    user, auditor, admin = token(client, "user"), token(client, "readonly"), token(client, "admin")
    assert data(client, "/api/v1/items", user)["total"] == 3  # own items only
    assert data(client, "/api/v1/items", auditor)["total"] == 4  # an auditor reads all
    statuses = [d["status"] for d in data(client, "/api/v1/documents?size=100", admin)["items"]]
    assert sorted(statuses) == ["archived", "draft", "published", "published"]
    # Drafts and archived documents are the author's; others see the published ones only.
    assert {d["status"] for d in data(client, "/api/v1/documents", auditor)["items"]} == {
        "published"
    }
    me = data(client, "/api/v1/users/me", auditor)
    assert me["role"] == "readonly"


def test_seeding_again_changes_nothing(app: connexion.FlaskApp) -> None:
    assert seed(app, "demo").exit_code == 0
    before = counts(app)
    again = seed(app, "demo")
    assert again.exit_code == 0, again.output
    assert "0 item(s), 0 document(s) created" in again.output
    assert again.output.count("exists") == 3
    assert counts(app) == before


def test_a_changed_password_is_not_printed_as_valid(
    app: connexion.FlaskApp, client: TestClient
) -> None:
    assert seed(app, "demo").exit_code == 0
    email, password = DEMO["user"]
    changed = client.patch(
        "/api/v1/users/me",
        json={"current_password": password, "password": "another-long-password"},
        headers=token(client, "user"),
    )
    assert changed.status_code == 200, changed.text
    again = seed(app, "demo")
    line = next(ln for ln in again.output.splitlines() if email in ln)
    assert password not in line and "(changed since seeding)" in line


def test_unknown_data_set_is_a_usage_error(app: connexion.FlaskApp) -> None:
    result = seed(app, "everything")
    assert result.exit_code == 2
    assert "'everything' is not 'demo'" in result.output or "Invalid value" in result.output
    assert counts(app) == (0, 0, 0)


def test_production_refuses_demo_data(make_settings: Any) -> None:
    prod = create_app(make_settings(env="production", jwt_secret="p" * 48))
    result = seed(prod, "demo")
    assert result.exit_code == 1
    assert "refusing to seed demo data with ENV=production" in result.output
    assert counts(prod) == (0, 0, 0)


@pytest.mark.parametrize("args", [(), ("demo", "extra")])
def test_wrong_arity_is_a_usage_error(app: connexion.FlaskApp, args: tuple[str, ...]) -> None:
    assert seed(app, *args).exit_code == 2
