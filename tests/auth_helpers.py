"""Creating users and logging in, for tests (through the real services and API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import connexion
from starlette.testclient import TestClient

from app.accounts.models import Role, User
from app.container import Services
from app.users import service as users

PASSWORD = "correct horse battery"


def resources(app: connexion.FlaskApp) -> Services:
    res: Services = app.app.extensions["app_services"]
    return res


def make_user(
    app: connexion.FlaskApp,
    email: str,
    role: Role | str = Role.USER,
    *,
    password: str = PASSWORD,
    active: bool = True,
) -> User:
    res = resources(app)
    with res.db.unit_of_work() as uow:
        user = users.create_user(
            uow,
            res.auth,
            email=email,
            password=password,
            full_name=email.split("@", maxsplit=1)[0],
            role=Role(role),
        )
        if not active:
            with uow.transaction() as session:
                user.is_active = False
                session.add(user)
        return user


@dataclass
class Account:
    user: User
    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def account(
    app: connexion.FlaskApp, client: TestClient, email: str, role: Role | str = Role.USER
) -> Account:
    user = make_user(app, email, role)
    tokens = login(client, email)
    return Account(user=user, access=tokens["access_token"], refresh=tokens["refresh_token"])
