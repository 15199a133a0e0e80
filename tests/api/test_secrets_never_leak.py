"""Password hashes, passwords, refresh tokens and API key secrets never appear in
responses (beyond the one response that hands them out) or in any log line."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.models import User
from tests.auth_helpers import PASSWORD, resources


def test_full_flow_leaks_nothing(app, client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    password = "a very particular password 42"
    responses = []
    r = client.post(
        "/api/v1/auth/register",
        json={"email": "leak@example.com", "password": password, "full_name": "L"},
    )
    responses.append(r)
    login = client.post(
        "/api/v1/auth/login", json={"email": "leak@example.com", "password": password}
    )
    tokens = login.json()["data"]
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    created = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=headers)
    secret = created.json()["data"]["key"]
    responses += [
        client.get("/api/v1/users/me", headers=headers),
        client.get("/api/v1/auth/api-keys", headers=headers),
        client.get("/api/v1/users/me", headers={"X-API-Key": secret}),
        client.patch(
            "/api/v1/users/me",
            json={"password": "another password 43", "current_password": password},
            headers=headers,
        ),
        client.post(
            "/api/v1/auth/login",
            json={"email": "leak@example.com", "password": "wrong password 44"},
        ),
        client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}),
        client.get("/api/v1/users/me", headers={"X-API-Key": secret + "x"}),
    ]
    with resources(app).db.transaction() as session:
        password_hash = session.exec(select(User)).one().password_hash

    needles = [
        password,
        "another password 43",
        "wrong password 44",
        password_hash,
        "$argon2",
        tokens["refresh_token"],
        secret,
    ]
    for response in responses:
        for needle in needles:
            assert needle not in response.text, f"{needle[:12]}... leaked in {response.request.url}"
    # The formatted log output too (JSON lines as production writes them).
    formatter = logging.getLogger().handlers[0].formatter
    lines = "\n".join(formatter.format(r) for r in caplog.records) if formatter else caplog.text
    assert lines, "nothing was logged"
    for needle in [*needles, tokens["access_token"]]:
        assert needle not in lines, f"{needle[:12]}... leaked in the logs"
    assert PASSWORD not in lines
