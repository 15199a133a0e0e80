"""What the flask CLI prints, from a real `flask` process with stdout and stderr apart:
stdout is the command's result; logs go to stderr, at WARNING unless asked (`--verbose`
or LOG_LEVEL), so no Alembic plugin-setup lines and no audit JSON line bury the result
(the audit trail is the audit_events row). Errors are one human line on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import ROOT

FLASK = str(Path(sys.executable).parent / "flask")
PASSWORD = "long-enough-1"


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    """`flask ARGS` on a SQLite database of this test's own; (exit code, stdout, stderr)."""
    base = {k: v for k, v in os.environ.items() if k not in ("LOG_LEVEL", "REDIS_URL")}
    base.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}",
        PASSWORD_HASH_TIME_COST="1",
        PASSWORD_HASH_MEMORY_KIB="1024",
        PASSWORD_HASH_PARALLELISM="1",
    )

    def flask(*args: str, **env: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [FLASK, *args],
            check=False,
            cwd=ROOT,
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.returncode, done.stdout, done.stderr

    return flask


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_commands_print_their_result_and_no_logs(run) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("db", "upgrade")
    assert code == 0, err
    [line] = out.splitlines()
    assert line.startswith("upgraded sqlite:///") and ": base (empty) -> " in line
    assert err == ""  # no "setup plugin alembic..." JSON lines
    for email, role in (("admin@example.com", "admin"), ("ada@example.com", "user")):
        code, out, err = run(
            "users", "create", email, "--full-name", "A", "--role", role, "--password", PASSWORD
        )
        assert (code, err) == (0, ""), err
    code, out, err = run("users", "change-role", "ada@example.com", "readonly")
    assert (code, out, err) == (0, "role readonly for ada@example.com\n", "")


def test_logs_on_stderr_when_asked(run) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("db", "--verbose", "upgrade")
    assert code == 0, err
    assert out.startswith("upgraded ")
    assert "alembic.runtime.plugins" in {str(r["logger"]) for r in json_lines(err)}
    assert json_lines(out) == []
    code, out, err = run("db", "current", LOG_LEVEL="INFO")
    assert code == 0, err
    assert json_lines(out) == [] and json_lines(err)


def test_a_short_password_is_a_human_message(run) -> None:  # type: ignore[no-untyped-def]
    assert run("db", "upgrade")[0] == 0
    code, out, err = run(
        "users", "create", "ada@example.com", "--full-name", "Ada", "--password", "short"
    )
    assert (code, out) == (1, "")
    assert err == (
        "Error: invalid arguments: Password must be at least 8 characters (--password)\n"
    )
