"""Start the real server (`python -m app`, the entry point `make run` uses) on a free loopback
port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx

from tests.rate_limits import generous_overrides_env

ROOT = Path(__file__).resolve().parent.parent


class Live(NamedTuple):
    """A running server (tests/live/conftest.py's `serve`)."""

    base: str  # http://127.0.0.1:<port>
    env: dict[str, str]  # its environment (for a `flask` command on the same setup)


Serve = Callable[..., AbstractContextManager[Live]]


def server_env(database_url: str, redis_url: str | None, redis_key_prefix: str) -> dict[str, str]:
    """Environment for a live server on the suite's isolated database, with cheap hashing."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url or "",
        "REDIS_KEY_PREFIX": redis_key_prefix,
        "ENV": "test",
        "LOG_LEVEL": "WARNING",
        "PASSWORD_HASH_TIME_COST": "1",
        "PASSWORD_HASH_MEMORY_KIB": "1024",
        "PASSWORD_HASH_PARALLELISM": "1",
        # Limits no test's traffic reaches (tests of limits set their own).
        "RATE_LIMIT_OVERRIDES": generous_overrides_env(),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_live(
    proc: subprocess.Popen[bytes], base: str, log_path: Path, timeout: float, name: str = "server"
) -> None:
    """Return once `base` answers /health/live; raise with the log's tail if `proc` exits first
    or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/api/v1/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)


@contextmanager
def live_server(env: Mapping[str, str], log_path: Path, timeout: float = 60.0) -> Iterator[str]:
    """Yield the base URL of a running server; stop exactly that process afterwards."""
    port = free_port()
    cmd = [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_live(proc, base, log_path, timeout)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
