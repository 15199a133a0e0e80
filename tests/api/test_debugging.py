"""Debugging and profiling aids (issue 24 item 3): request and response bodies in the logs
with secrets redacted, sampled request profiles, `flask dev profile`, and none of it
allowed in production."""

from __future__ import annotations

import json
import logging
import pstats
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from starlette.testclient import TestClient

from app.http.debugging import REDACTED, redact
from app.main import create_app
from app.settings import Settings
from tests.auth_helpers import PASSWORD, account, make_user

STRONG_SECRET = "s" * 48


def _records(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    formatter = logging.getLogger().handlers[0].formatter
    assert formatter is not None
    lines = [json.loads(formatter.format(r)) for r in caplog.records if r.name == "app.debug"]
    return [line for line in lines if line["event"] == event]


# Apps are built in fixtures: building one configures logging, which must happen before
# the test phase starts capturing it.
@pytest.fixture
def bodies_app(make_settings: Any) -> Any:
    return create_app(make_settings(log_request_bodies=True))


@pytest.fixture
def profiling_app(make_settings: Any, tmp_path: Path) -> Any:
    return create_app(make_settings(profile_requests=1.0, profile_dir=tmp_path))


def test_bodies_are_logged_with_every_secret_redacted(
    bodies_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app = bodies_app
    client = TestClient(app)
    make_user(app, "bodies@example.com")
    with caplog.at_level(logging.INFO, logger="app.debug"):
        login = client.post(
            "/api/v1/auth/login", json={"email": "bodies@example.com", "password": PASSWORD}
        )
        token = login.json()["data"]["access_token"]
        key = client.post(
            "/api/v1/auth/api-keys",
            json={"name": "ci"},
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "a" * 32},
        )
        client.post(
            "/api/v1/auth/login", content=b"not json", headers={"Content-Type": "application/json"}
        )
    assert login.status_code == 200
    assert key.status_code == 201
    logged, created, malformed = _records(caplog, "http_bodies")
    assert logged["request_body"] == {"email": "bodies@example.com", "password": REDACTED}
    data = logged["response_body"]["data"]
    assert data["access_token"] == data["refresh_token"] == REDACTED
    assert data["token_type"] == "Bearer"
    assert created["request_headers"]["authorization"] == REDACTED
    assert created["response_body"]["data"]["key"] == REDACTED
    assert created["response_body"]["data"]["name"] == "ci"
    assert created["status"] == 201
    assert malformed["request_body"] == "not json"
    assert malformed["response_body"]["code"] == "malformed_json"
    text = caplog.text
    assert PASSWORD not in text
    assert token not in text
    assert key.json()["data"]["key"] not in text


def _profiled(function: str, pstats_path: Path) -> bool:
    """Whether the profile saw `function` (the full pstats, not the report's top lines)."""
    stats = pstats.Stats(str(pstats_path))
    return any(name == function for (_file, _line, name) in stats.stats)  # type: ignore[attr-defined]


def test_redaction_reaches_nested_and_camel_case_secrets() -> None:
    value = {
        "user": {"newPassword": "x", "current_password": "y", "name": "n"},
        "items": [{"apiKey": "k", "client_secret": "s", "keep": 1}],
        "refreshToken": "r",
        "token_type": "Bearer",
        "password_confirmation": "p",
    }
    assert redact(value) == {
        "user": {"newPassword": REDACTED, "current_password": REDACTED, "name": "n"},
        "items": [{"apiKey": REDACTED, "client_secret": REDACTED, "keep": 1}],
        "refreshToken": REDACTED,
        "token_type": "Bearer",
        "password_confirmation": REDACTED,
    }


def test_a_sampled_request_leaves_its_profile(
    profiling_app: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    app = profiling_app
    client = TestClient(app)
    who = account(app, client, "profiled@example.com")
    with caplog.at_level(logging.INFO, logger="app.debug"):
        response = client.get("/api/v1/users/me", headers={**who.headers, "X-Request-ID": "b" * 32})
    assert response.status_code == 200
    (record, *_) = [r for r in _records(caplog, "request_profiled") if "users/me" in r["path"]]
    report = Path(record["report"])
    assert report == tmp_path / f"{'b' * 32}.txt"
    assert "This app's own functions" in report.read_text()
    assert _profiled("get_me", Path(record["pstats"]))  # the handler, run in a WSGI thread
    assert Path(record["pstats"]).stat().st_size > 0


def test_flask_dev_profile_runs_one_request_as_a_role(make_settings: Any, tmp_path: Path) -> None:
    app = create_app(make_settings())
    runner = app.app.test_cli_runner()
    result = runner.invoke(
        args=[
            "dev",
            "profile",
            "GET",
            "/api/v1/users/me",
            "--as",
            "readonly",
            "--out",
            str(tmp_path),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "GET /api/v1/users/me: 200" in result.output
    report = tmp_path / "get-api_v1_users_me.txt"
    assert f"report: {report}" in result.output
    assert "This app's own functions" in report.read_text()
    assert _profiled("get_me", tmp_path / "get-api_v1_users_me.prof")
    # Again: the account is reused, not created twice.
    again = runner.invoke(
        args=[
            "dev",
            "profile",
            "GET",
            "/api/v1/users/me",
            "--as",
            "readonly",
            "--out",
            str(tmp_path),
        ]
    )
    assert again.exit_code == 0, again.output


def test_flask_dev_profile_refuses_a_body_that_is_not_json(make_settings: Any) -> None:
    app = create_app(make_settings())
    result = app.app.test_cli_runner().invoke(
        args=["dev", "profile", "POST", "/api/v1/items", "--as", "user", "--body", "{nope"]
    )
    assert result.exit_code == 2
    assert "not JSON" in result.output


@pytest.mark.parametrize(
    ("field", "name"),
    [("log_request_bodies", "LOG_REQUEST_BODIES"), ("profile_requests", "PROFILE_REQUESTS")],
)
def test_production_refuses_the_debugging_aids(field: str, name: str) -> None:
    value: Any = True if field == "log_request_bodies" else 0.5
    with pytest.raises(ValidationError, match=name):
        Settings(env="production", jwt_secret=STRONG_SECRET, **{field: value})
    Settings(env="development", **{field: value})  # fine outside production
