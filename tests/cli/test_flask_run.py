"""`flask run` (FLASK_APP in .flaskenv) serves the real app: Werkzeug's WSGI server calls the
Flask app, whose WSGI entry is bridged to the whole ASGI stack (routing, validation,
security, problem errors), not bare Flask."""

from __future__ import annotations

from typing import Any

import pytest

from app.main import create_flask_app


@pytest.fixture
def flask_client(monkeypatch: pytest.MonkeyPatch, database_url: str, redis_url: str | None) -> Any:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url or "")
    monkeypatch.setenv("ENV", "test")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return create_flask_app().test_client()


def test_flask_run_serves_the_api(flask_client: Any) -> None:
    response = flask_client.get("/api/v1/health/live")
    assert response.status_code == 200
    assert response.get_json()["data"] == {"status": "alive"}
    assert response.headers["X-Request-ID"]  # set by the ASGI middleware


def test_flask_run_keeps_the_contract_layer(flask_client: Any) -> None:
    missing = flask_client.get("/api/v1/users/me")
    assert missing.status_code == 401
    assert missing.get_json()["code"] == "not_authenticated"
    unknown = flask_client.get("/api/v1/nope")
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"] == "application/problem+json"
