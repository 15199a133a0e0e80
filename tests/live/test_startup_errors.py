"""A database that cannot be used stops every entry point with one line and the fix, not a
traceback: `python -m app` (`make run`), `alembic upgrade head` (`make migrate`) and the
flask CLI, for an unreachable server, a missing database, a role PostgreSQL refuses and a
driver that is not installed. Each case runs the real command in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests import services
from tests.live_server import ROOT, free_port
from tests.serving import serve_command

BIN = Path(sys.executable).parent


def entry_points() -> dict[str, list[str]]:
    return {
        "python -m app": [sys.executable, "-m", "app", "--port", str(free_port())],
        "alembic upgrade head": [str(BIN / "alembic"), "upgrade", "head"],
        "flask users list": [str(BIN / "flask"), "users", "list"],
    }


def _postgresql() -> tuple[str, int, str]:
    """Host, port and user of the suite's PostgreSQL (skip, or fail in CI, without one)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        if services.IN_CI:
            pytest.fail("CI=true needs DATABASE_URL on PostgreSQL")
        pytest.skip("needs DATABASE_URL on PostgreSQL")
    parsed = make_url(url)
    return parsed.host or "127.0.0.1", parsed.port or 5432, parsed.username or "postgres"


def unreachable() -> tuple[str, str]:
    port = free_port()
    return (
        f"postgresql+psycopg2://app:s3cret-pw@127.0.0.1:{port}/app",
        f"Cannot reach the database at 127.0.0.1:{port} (Connection refused): start it, or fix "
        "the host and port in DATABASE_URL, or unset DATABASE_URL for the embedded SQLite",
    )


def missing_database() -> tuple[str, str]:
    host, port, user = _postgresql()
    name = f"missing_{uuid.uuid4().hex[:8]}"
    return (
        f"postgresql+psycopg2://{user}@{host}:{port}/{name}",
        f'Database "{name}" does not exist on {host}:{port}: create it '
        f"(createdb -h {host} -p {port} -U {user} {name}) or fix its name in DATABASE_URL",
    )


def refused_role() -> tuple[str, str]:
    # This PostgreSQL trusts local connections: a role that does not exist is what a
    # wrong user or password looks like here ("authentication failed" on a real server).
    host, port, _user = _postgresql()
    role = f"nobody_{uuid.uuid4().hex[:8]}"
    return (
        f"postgresql+psycopg2://{role}:s3cret-pw@{host}:{port}/test",
        f'The database at {host}:{port} refused user "{role}" (role "{role}" does not '
        "exist): fix the user and password in DATABASE_URL",
    )


def missing_driver(scheme: str, package: str) -> Callable[[], tuple[str, str]]:
    def case() -> tuple[str, str]:
        return (
            f"{scheme}://app:s3cret-pw@127.0.0.1/app",
            f"DATABASE_URL uses the driver {scheme} (Python package {package}), which is not "
            "installed: use postgresql+psycopg2://user:password@host:5432/db or "
            "sqlite:///path/app.db (installed), or unset DATABASE_URL for the embedded SQLite",
        )

    return case


def not_a_url() -> tuple[str, str]:
    # A typo'd or half-pasted value (no scheme) fails SQLAlchemy's URL parser.
    return (
        "app:s3cret-pw@127.0.0.1:5432/app",
        "DATABASE_URL is not a database URL: use postgresql+psycopg2://user:password@host:5432/db "
        "or sqlite:///path/app.db, or unset DATABASE_URL for the embedded SQLite",
    )


CASES = {
    "not-a-url": not_a_url,
    "unreachable": unreachable,
    "missing-database": missing_database,
    "refused-role": refused_role,
    "mysql-driver": missing_driver("mysql", "MySQLdb"),
    "asyncpg-driver": missing_driver("postgresql+asyncpg", "asyncpg"),
}


@pytest.mark.parametrize("entry", ["python -m app", "alembic upgrade head", "flask users list"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_an_unusable_database_is_one_line_and_the_fix(case: str, entry: str) -> None:
    url, expected = CASES[case]()
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_CONNECT_TIMEOUT_SECONDS": "2"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        entry_points()[entry],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    # Click prefixes its errors with "Error: " (a missing driver stops the app's creation,
    # before Click runs the command).
    assert lines[-1].removeprefix("Error: ") == expected, done.stderr[-2000:]
    assert sum(expected in line for line in lines) == 1
    assert "s3cret-pw" not in done.stdout + done.stderr


def test_a_busy_port_says_so_and_how_to_pick_another(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port)],
            check=False,
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        f"Port {port} on 127.0.0.1 is already in use (another server?): stop it, or pick "
        f"another port, e.g. PORT={port + 1} make run (python -m app --port {port + 1})"
    ]
    assert "Serving the API" not in done.stdout  # no banner claiming the port
    assert "Errno" not in done.stdout + done.stderr


def test_a_busy_port_under_make_serve_says_so_and_how_to_pick_another(tmp_path: Path) -> None:
    """gunicorn itself would retry five times (`[ERROR] Connection in use`) and end with
    "Can't connect"; the master says it once, with the fix, and leaves nothing behind."""
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'app.db'}"
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            serve_command("127.0.0.1", port),
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0, (done.stdout[-2000:], done.stderr[-2000:])
    expected = (
        f"Port {port} on 127.0.0.1 is already in use (another server?): stop it, or pick "
        f"another port, e.g. PORT={port + 1} make serve"
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[-1] == expected, done.stderr[-2000:]
    assert "Connection in use" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_host_that_cannot_be_listened_on_says_why(tmp_path: Path) -> None:
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-m", "app", "--host", "999.1.1.1", "--port", str(port)],
        check=False,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    [line] = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith(f"Cannot listen on 999.1.1.1:{port} ("), line
    assert line.endswith("): set HOST and PORT"), line
    assert "Unknown error" not in line  # the resolver's reason, not os.strerror(-2)
    assert "while attempting" not in line
