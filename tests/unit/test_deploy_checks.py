"""What `flask deploy prepare` requires per target, check by check (pure functions of the
settings; the checks that reach services are tested in tests/cli/test_cli_deploy.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.cli.deploy_checks import (
    TARGETS,
    check_connections,
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


STOCK_POSTGRESQL = (100, 3)  # max_connections, superuser_reserved_connections


@pytest.mark.parametrize("broker", [None, "redis://127.0.0.1:6379/0"])
def test_the_default_pools_fit_a_stock_postgresql(broker: str | None) -> None:
    check = check_connections(settings(redis_url=broker), STOCK_POSTGRESQL)
    assert check.outcome == "ok", check.detail
    assert "of 94 usable (max_connections 100 - 3 reserved - 3 spare)" in check.detail


def test_pools_over_max_connections_fail_and_say_what_to_change() -> None:
    # The old defaults: 2 processes x 64 pooled connections.
    # No REDIS_URL (set explicitly: CI exports one): no `make worker` process to count.
    given = settings(database_pool_size=64, database_max_overflow=0, redis_url=None)
    check = check_connections(given, STOCK_POSTGRESQL)
    assert check.outcome == "fail"
    assert check.detail.startswith("GUNICORN_WORKERS=2 x (pool 64 + overflow 0) = 128 exceeds 94")
    assert "at most 47 per process" in check.detail
    assert "DATABASE_POOL_SIZE=47 DATABASE_MAX_OVERFLOW=0" in check.detail
    assert "raise max_connections to 134" in check.detail
    # The suggestion fits.
    fixed = settings(database_pool_size=47, database_max_overflow=0, redis_url=None)
    assert check_connections(fixed, STOCK_POSTGRESQL).outcome == "ok"


def test_a_celery_worker_counts_as_one_more_process() -> None:
    given = settings(redis_url="redis://127.0.0.1:6379/0", database_pool_size=30)
    check = check_connections(given, STOCK_POSTGRESQL)
    assert check.outcome == "fail"
    assert "+ 1 `make worker` x (pool 30 + overflow 5) = 105" in check.detail


def test_sqlite_has_no_connection_limit() -> None:
    assert check_connections(settings(), None).outcome == "ok"
