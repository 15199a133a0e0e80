"""`flask users ...` against the real (isolated) database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import Result
from sqlmodel import select

from app.accounts.models import User
from tests.auth_helpers import PASSWORD, make_user, resources


@pytest.fixture
def run(app):
    runner = app.app.test_cli_runner()

    def invoke(*args: str) -> Result:
        return runner.invoke(args=["users", *args])

    return invoke


def stored(app, email: str) -> User | None:
    with resources(app).db.transaction() as session:
        return session.exec(select(User).where(User.email == email)).first()


def test_create_and_list(run, app) -> None:
    result = run(
        "create",
        "Cli@Example.com",
        "--password",
        PASSWORD,
        "--full-name",
        "Cli User",
        "--role",
        "readonly",
    )
    assert result.exit_code == 0, result.output
    assert "created readonly cli@example.com" in result.output
    user = stored(app, "cli@example.com")
    assert user is not None and user.role == "readonly" and user.full_name == "Cli User"
    listing = run("list")
    assert listing.exit_code == 0
    assert "cli@example.com" in listing.output and "1 user(s)" in listing.output


def test_create_admin_with_prompted_password(app) -> None:
    runner = app.app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create-admin", "root@example.com"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    assert stored(app, "root@example.com").role == "admin"


def test_duplicate_email_fails(run, app) -> None:
    make_user(app, "dup@example.com")
    result = run("create", "DUP@example.com", "--password", PASSWORD, "--full-name", "X")
    assert result.exit_code == 1
    assert "email_taken" in result.output


def test_weak_password_fails(run) -> None:
    result = run("create", "weak@example.com", "--password", "short", "--full-name", "X")
    assert result.exit_code == 1
    assert "password" in result.output


def test_invalid_email_fails(run) -> None:
    result = run("create", "not-an-email", "--password", PASSWORD, "--full-name", "X")
    assert result.exit_code == 1
    assert "email" in result.output


def test_unknown_role_fails(run, app) -> None:
    make_user(app, "r@example.com")
    result = run("change-role", "r@example.com", "wizard")
    assert result.exit_code == 2
    assert "'wizard' is not one of" in result.output
    assert (
        run(
            "create", "x@example.com", "--password", PASSWORD, "--full-name", "X", "--role", "root"
        ).exit_code
        == 2
    )


def test_change_role_and_deactivate(run, app) -> None:
    make_user(app, "admin@example.com", "admin")
    make_user(app, "u@example.com")
    assert run("change-role", "U@example.com", "admin").exit_code == 0
    assert stored(app, "u@example.com").role == "admin"
    assert run("deactivate", "u@example.com").exit_code == 0
    assert stored(app, "u@example.com").is_active is False


def test_unknown_user_fails(run) -> None:
    for args in (("change-role", "ghost@example.com", "user"), ("deactivate", "ghost@example.com")):
        result = run(*args)
        assert result.exit_code == 1
        assert "not_found" in result.output


def test_last_admin_is_protected(run, app) -> None:
    make_user(app, "only@example.com", "admin")
    demote = run("change-role", "only@example.com", "user")
    assert demote.exit_code == 1 and "last_admin" in demote.output
    deactivate = run("deactivate", "only@example.com")
    assert deactivate.exit_code == 1 and "last_admin" in deactivate.output


def test_flask_command_finds_the_app(database_url: str, root_dir) -> None:
    # The real entry point: `flask` discovers the app through .flaskenv.
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    result = subprocess.run(
        [flask, "users", "--help"],
        cwd=root_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("create", "create-admin", "change-role", "list", "deactivate"):
        assert command in result.stdout
    assert "Deprecat" not in result.stderr
