"""`flask deploy prepare|healthcheck` with CliRunner against the real database and Redis
(and, for the broken cases, a database or Redis on a closed local port)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import Result
from pydantic import SecretStr
from sqlalchemy import create_engine

from app.cli.deploy_checks import check_ai
from app.settings import DEFAULT_JWT_SECRET
from tests.cli_apps import (
    app_with,
    cli,
    own_app,
    unreachable_database_url,
    unreachable_redis_url,
    version,
)
from tests.live_server import free_port

SECRET = "deploy-test-secret-" + "s" * 40
TOKEN = "metrics-token-never-printed"


def outcomes(result: Result) -> dict[str, tuple[str, str]]:
    """check name -> (label, detail), from the lines `prepare` prints."""
    found = {}
    for line in result.output.splitlines():
        label, _, rest = line.partition("  ")
        if label.strip() in ("ok", "warn", "FAIL"):
            name, _, detail = rest.strip().partition("  ")
            found[name.strip()] = (label.strip(), detail.strip())
    return found


def labels(result: Result) -> dict[str, str]:
    return {name: label for name, (label, _) in outcomes(result).items()}


def test_prepare_local_passes_on_the_test_services(app, settings) -> None:
    result = cli(app, "deploy", "prepare", "local")
    assert result.exit_code == 0, result.output
    assert labels(result) == {
        "env": "ok",
        "jwt": "warn",  # the development default: fine on a laptop only
        "database": "ok",
        "redis": "ok",
        "ai": "ok",
        "ai_service": "ok",
        "metrics": "ok",
        "connections": "ok",
        "migrations": "ok",
    }
    checks = outcomes(result)
    no_redis = "REDIS_URL not set (in-process fallbacks)"
    assert checks["redis"][1] == ("reachable" if settings.redis.url else no_redis)
    assert checks["migrations"][1].startswith("at head (")
    assert result.output.rstrip().endswith("ready for local")
    assert DEFAULT_JWT_SECRET not in result.output


def test_prepare_production_lists_every_gap(app, settings) -> None:
    result = cli(app, "deploy", "prepare", "production")
    assert result.exit_code == 1
    found = labels(result)
    assert found["env"] == "FAIL" and found["jwt"] == "FAIL"
    assert found["database"] == ("FAIL" if settings.database.is_sqlite else "ok")
    assert found["redis"] == ("FAIL" if settings.redis.url is None else "ok")
    assert found["ai"] == "warn" and found["metrics"] == "warn"
    assert found["migrations"] == "ok"
    failed = [name for name, label in found.items() if label == "FAIL"]
    assert f"not ready for production: {', '.join(failed)} failed" in result.output
    assert DEFAULT_JWT_SECRET not in result.output


def test_prepare_staging_warns_where_production_fails(app, settings) -> None:
    result = cli(app, "deploy", "prepare", "staging")
    assert result.exit_code == 1  # the default secret is a failure on staging too
    found = labels(result)
    assert found["env"] == "warn" and found["jwt"] == "FAIL"
    assert found["database"] == ("warn" if settings.database.is_sqlite else "ok")
    assert found["redis"] == ("warn" if settings.redis.url is None else "ok")
    assert found["ai"] == "ok" and found["metrics"] == "ok"


def test_prepare_production_passes_when_configured(make_settings, settings) -> None:
    production = {"env": "production", "jwt_secret": SECRET, "metrics_token": TOKEN}
    with app_with(make_settings, **production) as app:
        result = cli(app, "deploy", "prepare", "production")
    checks = outcomes(result)
    assert checks["env"] == ("ok", "ENV=production")
    assert checks["jwt"] == ("ok", f"HS256 secret set ({len(SECRET)} bytes)")
    assert checks["metrics"][0] == "ok" and checks["ai"][0] == "warn"  # the fake provider
    # The test services decide the rest: production needs PostgreSQL and Redis.
    expected_failures = {"database"} if settings.database.is_sqlite else set()
    if settings.redis.url is None:
        expected_failures.add("redis")
    assert {n for n, (label, _) in checks.items() if label == "FAIL"} == expected_failures
    assert result.exit_code == (1 if expected_failures else 0), result.output
    assert SECRET not in result.output and TOKEN not in result.output


def test_prepare_checks_the_pools_against_max_connections(make_settings, settings) -> None:
    # The old `make serve` defaults: 2 processes x 64 pooled connections each.
    with app_with(make_settings, database_pool_size=64, database_max_overflow=0) as app:
        result = cli(app, "deploy", "prepare", "local")
    label, detail = outcomes(result)["connections"]
    if settings.database.is_sqlite:
        assert label == "ok" and detail.endswith("no server connection limit")
        return
    max_connections = _server_setting(settings.database.url, "max_connections")
    assert result.exit_code == 1
    assert label == "FAIL"
    assert f"max_connections {max_connections} - " in detail
    assert "set DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW to at most" in detail
    assert "lower GUNICORN_WORKERS" in detail
    # The defaults fit (this server is a stock PostgreSQL).
    with app_with(make_settings, database_pool_size=None) as app:
        result = cli(app, "deploy", "prepare", "local")
    assert outcomes(result)["connections"][0] == "ok", result.output


def _server_setting(url: str, name: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql(f"SHOW {name}").scalar())
    finally:
        engine.dispose()


def test_prepare_with_an_unreachable_database(make_settings) -> None:
    url = unreachable_database_url(password="s3cret-pw")
    with app_with(make_settings, database_url=url, database_connect_timeout_seconds=1) as app:
        result = cli(app, "deploy", "prepare", "local")
    assert result.exit_code == 1
    checks = outcomes(result)
    assert checks["database"][0] == "FAIL"
    assert "unreachable (OperationalError" in checks["database"][1]
    assert checks["migrations"] == ("FAIL", "not checked: the database is unreachable")
    assert "s3cret-pw" not in result.output


def test_prepare_with_an_unreachable_redis(make_settings) -> None:
    broken = {"redis_url": unreachable_redis_url(), "redis_timeout_seconds": 1}
    with app_with(make_settings, jobs_backend="inprocess", **broken) as app:
        result = cli(app, "deploy", "prepare", "local")
    assert result.exit_code == 1
    assert outcomes(result)["redis"] == ("FAIL", "unreachable (ConnectionError)")


def test_prepare_finds_a_database_behind_head_and_migrate_fixes_it(
    make_settings, tmp_path: Path
) -> None:
    with own_app(make_settings, tmp_path) as (app, url):
        head = version(url)
        assert cli(app, "db", "downgrade").exit_code == 0
        behind = version(url)
        checked = cli(app, "deploy", "prepare", "local")
        assert checked.exit_code == 1
        label, detail = outcomes(checked)["migrations"]
        assert label == "FAIL" and detail.startswith(f"database at {behind}, code at {head}")
        assert version(url) == behind  # --no-migrate (the default) only checks

        migrated = cli(app, "deploy", "prepare", "local", "--migrate")
        assert migrated.exit_code == 0, migrated.output
        assert outcomes(migrated)["migrations"] == ("ok", f"upgraded {behind} -> {head}")
        assert version(url) == head


def test_migrate_waits_until_every_other_check_passes(make_settings, tmp_path: Path) -> None:
    with own_app(make_settings, tmp_path) as (app, url):
        assert cli(app, "db", "downgrade").exit_code == 0
        behind = version(url)
        result = cli(app, "deploy", "prepare", "production", "--migrate")
        assert result.exit_code == 1
        checks = outcomes(result)
        assert checks["env"][0] == "FAIL" and checks["migrations"][0] == "FAIL"
        assert checks["migrate"] == ("warn", "not run: fix the failures above first")
        assert version(url) == behind


def test_a_configured_provider_needs_its_keys(settings) -> None:
    # Settings refuse such a configuration at startup (see the next test); the check
    # itself still names what is missing.
    openai = settings.model_copy(
        update={"ai": settings.ai.model_copy(update={"provider": "openai"})}
    )
    assert check_ai(openai, "local").outcome == "fail"
    assert check_ai(openai, "local").detail == "openai needs OPENAI_API_KEY"
    azure_ai = settings.ai.model_copy(
        update={"provider": "azure", "azure_openai_api_key": SecretStr("k")}
    )
    azure = settings.model_copy(update={"ai": azure_ai})
    assert check_ai(azure, "production").detail == "azure needs AZURE_OPENAI_ENDPOINT"
    assert check_ai(settings, "production").outcome == "warn"  # fake, no key needed


def test_the_flask_command_refuses_a_missing_provider_key(database_url, root_dir) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            "AI_PROVIDER": "openai",
            "LOG_LEVEL": "WARNING",
        }
    )
    result = _flask(root_dir, env, "deploy", "prepare", "local")
    assert result.returncode == 1
    assert "AI provider openai needs OPENAI_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_provider_with_its_key_set_but_unreachable_is_a_warning(make_settings) -> None:
    key = "sk-test-key-never-printed"
    provider = {
        "ai_provider": "openai",
        "openai_api_key": key,
        "ai_base_url": f"http://127.0.0.1:{free_port()}/v1",
    }
    with app_with(make_settings, **provider) as app:
        result = cli(app, "deploy", "prepare", "local")
    assert result.exit_code == 0, result.output
    checks = outcomes(result)
    assert checks["ai"] == ("ok", "openai:gpt-4o-mini; keys set for openai")
    assert checks["ai_service"][0] == "warn" and "openai unreachable" in checks["ai_service"][1]
    assert key not in result.output


def test_prepare_needs_a_known_target(app) -> None:
    result = cli(app, "deploy", "prepare", "moon")
    assert result.exit_code == 2 and "'moon' is not one of" in result.output
    assert cli(app, "deploy", "prepare").exit_code == 2


def test_healthcheck_healthy_matches_get_health(app, client, settings) -> None:
    result = cli(app, "deploy", "healthcheck")
    assert result.exit_code == 0, result.output
    assert "healthy (version " in result.output
    over_http = client.get("/api/v1/health").json()["data"]["checks"]
    printed = {line.split()[1]: line.split()[0] for line in result.output.splitlines()[:-1]}
    assert printed == {name: check["status"] for name, check in over_http.items()}
    assert printed["redis"] == ("up" if settings.redis.url else "not_configured")


def test_healthcheck_unhealthy_database(make_settings) -> None:
    url = unreachable_database_url(password="s3cret-pw")
    with app_with(make_settings, database_url=url, database_connect_timeout_seconds=1) as app:
        result = cli(app, "deploy", "healthcheck")
    assert result.exit_code == 1
    assert "Error: unhealthy: database down" in result.output
    assert any(
        line.startswith("down") and " database " in line for line in result.output.splitlines()
    )
    assert "s3cret-pw" not in result.output


def test_healthcheck_unhealthy_redis(make_settings) -> None:
    broken = {"redis_url": unreachable_redis_url(), "redis_timeout_seconds": 1}
    with app_with(make_settings, jobs_backend="inprocess", **broken) as app:
        result = cli(app, "deploy", "healthcheck")
    assert result.exit_code == 1
    assert "Error: unhealthy: redis down" in result.output


def test_the_flask_command_exits_by_health(database_url, root_dir) -> None:
    """What a container's HEALTHCHECK would run: the real entry point and its exit code."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    healthy = _flask(root_dir, env, "deploy", "healthcheck")
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    env["DATABASE_URL"] = unreachable_database_url()
    env["DATABASE_CONNECT_TIMEOUT_SECONDS"] = "1"
    unhealthy = _flask(root_dir, env, "deploy", "healthcheck")
    assert unhealthy.returncode == 1
    assert "unhealthy: database down" in unhealthy.stderr


def _flask(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    return subprocess.run(
        [flask, *args], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
