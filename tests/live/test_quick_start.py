"""The README's quick start works on a fresh clone, as a newcomer runs it: `git clone` of
this checkout into a temp dir, then the Quick start section's commands as written (`make
run` from nothing: venv, uv, the runtime lock, migrations, the server; then its `flask`
commands), until the server answers /health and the admin it created can log in. So the
README cannot drift from what works.

CI only (`CI=true`; it builds a venv, ~30 s with uv's and pip's caches warm): a live test,
bounded (every step has a deadline), on 127.0.0.1 and a free port, in the embedded mode
(no DATABASE_URL, no REDIS_URL: "nothing but Python"); the server's process group, which
this test started, is stopped at the end.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests import services
from tests.live_server import ROOT, free_port

# A fresh clone and venv: `make test-slow` (CI), not `make test`.
pytestmark = [pytest.mark.live, pytest.mark.slow]
ADMIN_PASSWORD = "quick-start-password-1"
START_TIMEOUT_S = 300


def quick_start_commands() -> list[str]:
    """The shell commands of the README's Quick start section, comments dropped."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command and not command.startswith(("export ", "curl ")):
                commands.append(command)
    return commands


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    if not services.IN_CI:
        pytest.skip("CI only (CI=true): builds a fresh venv from the lock files")
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True, timeout=120)
    return target


@pytest.fixture
def newcomer_env() -> dict[str, str]:
    """The environment of someone who has only Python: none of the suite's settings."""
    dropped = ("DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV", "LOG_LEVEL", "HOST", "PORT")
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("MAKE")}
    env["PORT"] = str(free_port())
    return env


def started(command: str, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(  # its own process group: make and the server it starts
            shlex.split(command), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_for_health(base: str, proc: subprocess.Popen[bytes], log: Path) -> httpx.Response:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        assert proc.poll() is None, f"`make run` exited:\n{log.read_text()[-4000:]}"
        try:
            response = httpx.get(f"{base}/api/v1/health", timeout=5)
            if response.status_code == 200:
                return response
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"no /health in time:\n{log.read_text()[-4000:]}"
        time.sleep(0.5)


def run(command: str, cwd: Path, env: dict[str, str], stdin: str = "") -> str:
    # A session of its own: no terminal, so a password prompt reads stdin.
    done = subprocess.run(
        shlex.split(command), cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
        timeout=120, check=False, start_new_session=True,
    )  # fmt: skip
    assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def test_the_readme_quick_start_works_on_a_fresh_clone(
    clone: Path, newcomer_env: dict[str, str], tmp_path: Path
) -> None:
    commands = quick_start_commands()
    assert commands[:2] == ["make run", "make test"], commands
    flask_commands = [c for c in commands if c.startswith(".venv/bin/flask ")]
    assert [c.split()[1:3] for c in flask_commands] == [["users", "create-admin"], ["db", "seed"]]
    base = f"http://127.0.0.1:{newcomer_env['PORT']}"
    log = tmp_path / "make-run.log"

    server = started(commands[0], clone, newcomer_env, log)
    try:
        health = wait_for_health(base, server, log)
        assert health.json()["data"]["checks"]["redis"]["status"] == "not_configured"
        assert f"Serving the API on {base}" in log.read_text()
        assert (clone / "var" / "app.db").is_file()  # the embedded SQLite, migrated
        assert httpx.get(f"{base}/docs", timeout=10, follow_redirects=True).status_code == 200

        email = flask_commands[0].split()[-1]
        run(flask_commands[0], clone, newcomer_env, stdin=f"{ADMIN_PASSWORD}\n" * 2)
        login = httpx.post(
            f"{base}/api/v1/auth/login",
            json={"email": email, "password": ADMIN_PASSWORD},
            timeout=30,
        )
        assert login.status_code == 200, login.text
        assert login.json()["data"]["access_token"]
        assert "demo" in run(flask_commands[1], clone, newcomer_env).lower()
    finally:
        stop(server)
    # `make test` resolves on the clone (running the whole suite again is CI's own job).
    assert run("make -n test", clone, newcomer_env).strip()
