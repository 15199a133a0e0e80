"""Schemathesis fuzzes the real server (uvicorn + the configured database/Redis) with every
check: once anonymously and once authenticated as each role (tokens from the live server).

Bounded: a fixed number of examples per operation, a fixed seed and a hard time limit; it
targets only 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from tests.auth_helpers import PASSWORD, make_user
from tests.live_server import live_server

pytestmark = pytest.mark.contract
ROLES = ("admin", "user", "readonly")
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module")
def server(
    database_url: str,
    redis_url: str | None,
    make_settings: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, str]]]:
    seed_app = create_app(make_settings())
    for role in ROLES:
        make_user(seed_app, f"fuzz-{role}@example.com", role)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url or "",
        "REDIS_KEY_PREFIX": make_settings().redis_key_prefix + "-fuzz",
        "ENV": "test",
        "LOG_LEVEL": "WARNING",
        "PASSWORD_HASH_TIME_COST": "1",
        "PASSWORD_HASH_MEMORY_KIB": "1024",
        "PASSWORD_HASH_PARALLELISM": "1",
    }
    log = tmp_path_factory.mktemp("server") / "server.log"
    with live_server(env, log) as base:
        tokens = {}
        for role in ROLES:
            response = httpx.post(
                f"{base}/api/v1/auth/login",
                json={"email": f"fuzz-{role}@example.com", "password": PASSWORD},
                timeout=10,
            )
            assert response.status_code == 200, response.text
            tokens[role] = response.json()["data"]["access_token"]
        yield base, tokens


def run_schemathesis(base: str, report_dir: Path, extra: list[str]) -> None:
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [
        str(exe),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        "30",
        "--workers",
        "2",
        "--request-timeout",
        "10",
        "--seed",
        "20261125",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir),
        *extra,
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-10000:]
    summary = output[output.rfind("SUMMARY") :]
    assert " passed" in summary and "failure" not in summary, summary


def test_anonymous(server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    base, _ = server
    run_schemathesis(base, tmp_path, [])


# Readonly first, admin last: the admin run may delete or demote the other accounts.
@pytest.mark.parametrize("role", ["readonly", "user", "admin"])
def test_authenticated(server: tuple[str, dict[str, str]], tmp_path: Path, role: str) -> None:
    base, tokens = server
    # Logout would revoke the token mid-run; it is covered by the API tests.
    extra = [
        "-H",
        f"Authorization: Bearer {tokens[role]}",
        "--exclude-operation-id",
        "app.api.auth.logout",
    ]
    run_schemathesis(base, tmp_path, extra)
