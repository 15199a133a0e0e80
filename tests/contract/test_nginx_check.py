"""`make nginx-check` runs `nginx -t` on the shipped config outside compose (where its
upstream `api:8000` does not resolve), and fails on a broken config with nginx's message
pointing at the line of the real file. Needs Debian's nginx: with CI=true a missing nginx
fails, elsewhere it skips (as tests/live/test_nginx_live.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _nginx() -> None:
    if not (shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")):
        message = "nginx is not installed (apt-get install nginx; .ci/run does)"
        if services.IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def test_make_nginx_check_passes_on_the_shipped_config() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "MAKEFLAGS")}
    done = subprocess.run(
        ["make", "-s", "nginx-check", "PORT=8123"],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "nginx/nginx.conf: ok (nginx -t, upstream 127.0.0.1:8123)"


def test_a_broken_config_fails_with_nginx_s_line(tmp_path: Path) -> None:
    lines = (ROOT / "nginx" / "nginx.conf").read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.strip() == "keepalive 64;")
    lines[number - 1] = lines[number - 1].replace("keepalive 64;", "keepalive sixty;")
    broken = tmp_path / "nginx.conf"
    broken.write_text("".join(lines))
    done = subprocess.run(
        [sys.executable, "scripts/nginx_check.py", "--config", str(broken)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout.strip() == f"{broken}: FAILED (nginx -t)"
    assert f'invalid value "sixty" in "keepalive" directive in {broken}:{number}' in done.stderr
