"""What `flask deploy prepare` requires per target, check by check (pure functions of the
settings; the checks that reach services are tested in tests/api/test_cli_deploy.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.services.deploy_checks import (
    TARGETS,
    check_env,
    check_jwt,
    check_metrics,
    check_redis,
)
from app.settings import Settings
from tests.keys import write_keypair

OWN_SECRET = "own-secret-" + "z" * 40


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ("development", {"local": "ok", "staging": "warn", "production": "fail"}),
        ("test", {"local": "ok", "staging": "warn", "production": "fail"}),
        ("production", {"local": "ok", "staging": "ok", "production": "ok"}),
    ],
)
def test_env(env: str, expected: dict[str, str]) -> None:
    given = settings(env=env, jwt_secret=OWN_SECRET)
    assert {t: check_env(given, t).outcome for t in TARGETS} == expected


def test_jwt_default_secret_is_only_for_local() -> None:
    default = settings()
    assert {t: check_jwt(default, t).outcome for t in TARGETS} == {
        "local": "warn",
        "staging": "fail",
        "production": "fail",
    }
    own = settings(jwt_secret=OWN_SECRET)
    assert {check_jwt(own, t).outcome for t in TARGETS} == {"ok"}
    assert OWN_SECRET not in check_jwt(own, "production").detail


def test_jwt_key_files(tmp_path: Path) -> None:
    private, public, _ = write_keypair(tmp_path, "rsa")
    given = settings(
        jwt_algorithm="RS256", jwt_private_key_file=private, jwt_public_key_file=public
    )
    check = check_jwt(given, "production")
    assert (check.outcome, check.detail) == ("ok", "RS256 key files readable")


def test_redis_unset() -> None:
    assert {t: check_redis(t, None).outcome for t in TARGETS} == {
        "local": "ok",
        "staging": "warn",
        "production": "fail",
    }


def test_metrics_token() -> None:
    open_ = settings()
    assert {t: check_metrics(open_, t).outcome for t in TARGETS} == {
        "local": "ok",
        "staging": "ok",
        "production": "warn",
    }
    token = "tok-never-shown"
    closed = settings(metrics_token=token)
    assert {check_metrics(closed, t).outcome for t in TARGETS} == {"ok"}
    assert token not in check_metrics(closed, "production").detail
