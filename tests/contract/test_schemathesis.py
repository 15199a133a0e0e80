"""Schemathesis fuzzes the real server (uvicorn + the configured database/Redis) with every check.

Bounded: a fixed number of examples per operation and a hard time limit; it targets only
127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import live_server

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def server(database_url: str, redis_url: str | None, tmp_path_factory: pytest.TempPathFactory):
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url or "",
        "ENV": "test",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path_factory.mktemp("server") / "server.log"
    with live_server(env, log) as base:
        yield base


def test_schemathesis_all_checks_pass(server: str, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [
        str(exe),
        "run",
        f"{server}/api/v1/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        "50",
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
        str(tmp_path),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert "No issues found" in output or " passed" in output, output[-3000:]
