"""`make serve` for real: gunicorn with uvicorn workers, on the suite's database and Redis.

- its command line (read from the Makefile) answers `/health/live` with the configured
  number of worker processes;
- it trusts X-Forwarded-For from TRUSTED_PROXIES only (gunicorn alone would trust
  127.0.0.1, letting a local client dodge per-client limits);
- SIGTERM to the master stops new connections but lets the request in flight finish (200),
  then the master exits 0 within the graceful timeout.

Bounded: a handful of requests to 127.0.0.1; every wait has a deadline; each master is
stopped by its PID.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.completions.models import AIUsage
from tests import metrics_text
from tests.auth_helpers import PASSWORD, make_user, resources
from tests.live_server import ROOT, free_port, server_env
from tests.problems import assert_problem
from tests.serving import children, gunicorn_server, serve_command

pytestmark = pytest.mark.live
EMAIL = "serve-live@example.com"


@pytest.fixture
def serve(database_url: str, redis_url: str | None, make_settings: Any, tmp_path: Path) -> Any:
    @contextmanager
    def start(**settings: str) -> Iterator[tuple[Any, str]]:
        prefix = f"{make_settings().redis.key_prefix}-serve-{uuid.uuid4().hex[:8]}"
        env = {**server_env(database_url, redis_url, prefix), **settings}
        with gunicorn_server(env, tmp_path / f"gunicorn-{prefix}.log") as running:
            yield running

    return start


def wait_for_workers(master: int, count: int, seconds: float = 30.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while len(found := children(master)) != count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_make_serve_is_gunicorn_with_uvicorn_workers() -> None:
    argv = serve_command("127.0.0.1", 8000)
    assert Path(argv[0]).name == "gunicorn"
    assert argv[1:] == [
        "--config",
        "python:app.serving.gunicorn_conf",
        "--bind",
        "127.0.0.1:8000",
        "app.main:create_app()",
    ]


def test_make_serve_answers_with_the_configured_workers(serve: Any) -> None:
    with serve(GUNICORN_WORKERS="2") as (master, base):
        assert len(wait_for_workers(master.pid, 2)) == 2
        for _ in range(6):  # new connections each time: either worker may answer
            response = httpx.get(f"{base}/api/v1/health/live", timeout=10)
            assert response.status_code == 200
            assert response.json()["success"] is True
        missing = httpx.get(f"{base}/api/v1/nowhere", timeout=10)
        assert_problem(missing, 404, "not_found")


def test_forwarded_for_counts_only_from_trusted_proxies(serve: Any) -> None:
    login = "/api/v1/auth/login"
    with serve(GUNICORN_WORKERS="1", LOGIN_RATE_LIMIT_PER_CLIENT="2/15 minutes") as (_, base):
        codes = [
            httpx.post(
                f"{base}{login}",
                json={"email": f"nobody{i}@example.com", "password": "wrong password"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
                timeout=30,
            )
            for i in range(3)
        ]
    assert_problem(codes[0], 401, "invalid_credentials")
    assert_problem(codes[1], 401, "invalid_credentials")
    # One client whatever it forwards: the third attempt is over the per-client limit.
    assert_problem(codes[2], 429, "too_many_login_attempts")


def _in_flight_soon(base: str, timeout: float = 30.0) -> bool:
    """True once `/metrics` (summed over the workers) counts a request being answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scrape = metrics_text.parse(httpx.get(f"{base}/metrics", timeout=5).text)
        if metrics_text.value(scrape, "http_requests_in_flight") >= 1:
            return True
        time.sleep(0.05)
    return False


def test_sigterm_lets_the_request_in_flight_finish(app: Any, serve: Any) -> None:
    make_user(app, EMAIL)
    settings = {
        "GUNICORN_WORKERS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT_SECONDS": "20",
        "AI_FAKE_LATENCY_MS": "5000",
    }
    with serve(**settings) as (master, base):
        login = httpx.post(
            f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=30
        )
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
        sent = threading.Event()
        result: dict[str, Any] = {}

        def trace(event: str, _info: Any) -> None:
            if event == "http11.send_request_body.complete":
                sent.set()

        def slow_request() -> None:
            try:
                with httpx.Client(timeout=60) as client:
                    request = client.build_request(
                        "POST",
                        f"{base}/api/v1/ai/completions",
                        json={"prompt": "finish me"},
                        headers=headers,
                        extensions={"trace": trace},
                    )
                    result["response"] = client.send(request)
            except httpx.HTTPError as exc:  # reported by the assertion below
                result["error"] = exc
            result["done_at"] = time.monotonic()

        thread = threading.Thread(target=slow_request)
        thread.start()
        assert sent.wait(30), "the slow request was never sent"
        # Signal only once a worker is answering it (sent is not yet read: a busy worker
        # may not have accepted the connection, and an unread connection is not drained).
        assert _in_flight_soon(base), "the slow request never reached the app"
        signalled_at = time.monotonic()
        master.send_signal(signal.SIGTERM)

        # The listener closes while the request is still in flight.
        refused = False
        deadline = time.monotonic() + 3.0
        while not refused and time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/api/v1/health/live", timeout=1)
                time.sleep(0.05)
            except httpx.ConnectError:
                refused = True
        still_running = thread.is_alive()

        thread.join(30)
        exit_code = master.wait(timeout=30)

    assert "error" not in result, result.get("error")
    response = result["response"]
    assert response.status_code == 200, response.text
    assert response.json()["data"]["text"].startswith("Fake answer")
    assert result["done_at"] > signalled_at
    assert refused and still_running, "new connections must be refused during the drain"
    assert exit_code == 0


def test_sigterm_ends_streams_still_open_at_the_drain_deadline(
    app: Any, serve: Any, tmp_path: Path
) -> None:
    """A stream outlasting the graceful timeout is ended by the app before uvicorn would
    cancel it: the client gets `event: error` `server_shutting_down`, the worker records
    its usage and shuts the app down without an error log line, and the master exits 0
    in time."""
    make_user(app, EMAIL)
    settings = {
        "GUNICORN_WORKERS": "1",
        "GUNICORN_GRACEFUL_TIMEOUT_SECONDS": "5",  # uvicorn drains for 2 s of it
        "AI_FAKE_STREAM_PAUSE_MS": "1000",  # ~16 words: far longer than the drain
    }
    with serve(**settings) as (master, base):
        login = httpx.post(
            f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=30
        )
        headers = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
        body = b""
        with (
            httpx.Client(base_url=base, timeout=30) as client,
            client.stream(
                "POST",
                "/api/v1/ai/completions/stream",
                json={"prompt": " ".join(f"word{i}" for i in range(12))},
                headers=headers,
            ) as stream,
        ):
            assert stream.status_code == 200
            chunks = stream.iter_raw()
            body += next(chunks)  # the stream is open and under way
            signalled_at = time.monotonic()
            master.send_signal(signal.SIGTERM)
            try:
                for chunk in chunks:
                    body += chunk
            except httpx.HTTPError:
                pass  # the server cut the stream: what matters is what arrived
        exit_code = master.wait(timeout=30)
        stopped_after = time.monotonic() - signalled_at

    assert b"event: delta" in body and b"event: done" not in body
    last = body.rstrip(b"\n").split(b"\n\n")[-1].decode()
    assert last.startswith("event: error\ndata: "), body[-500:]
    problem = json.loads(last.split("data: ", 1)[1])
    assert (problem["status"], problem["code"]) == (503, "server_shutting_down")
    assert exit_code == 0
    assert stopped_after < 5 + 2  # within the graceful timeout (plus the master's tick)
    [log] = tmp_path.glob("gunicorn-*.log")
    errors = [line for line in log.read_text().splitlines() if _is_error(line)]
    assert errors == [], errors  # no "Cancel 1 running task(s)", no CancelledError
    with resources(app).db.transaction() as session:
        [row] = session.exec(select(AIUsage)).all()
    assert (row.operation, row.outcome) == ("stream", "client_disconnected")


def _is_error(line: str) -> bool:
    """An ERROR line of the app (JSON) or of gunicorn/uvicorn (text), or a traceback."""
    try:
        record = json.loads(line)
    except ValueError:
        return "[ERROR]" in line or "Traceback" in line or "CancelledError" in line
    return isinstance(record, dict) and record.get("level") in ("error", "critical")


def test_the_metrics_directory_of_a_master_is_removed_on_exit(serve: Any) -> None:
    with serve(GUNICORN_WORKERS="1") as (master, base):
        metrics_dir = Path(tempfile.gettempdir()) / f"app-metrics-{master.pid}"
        assert httpx.get(f"{base}/metrics", timeout=10).status_code == 200
        assert metrics_dir.is_dir()  # the workers share it while the master runs
        master.send_signal(signal.SIGTERM)
        assert master.wait(timeout=40) == 0
    assert not metrics_dir.exists()


@pytest.mark.parametrize("failure", ["invalid-settings", "busy-port"])
def test_a_master_that_cannot_start_leaves_no_metrics_directory(
    database_url: str, tmp_path: Path, failure: str
) -> None:
    """The directory is made when gunicorn reads its config; a master that stops before
    serving (invalid settings, its port taken) never reaches `on_exit`, and left it."""
    env = {**os.environ, **server_env(database_url, None, "leftover")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1] if failure == "busy-port" else free_port()
        if failure == "invalid-settings":
            env["JWT_ALGORITHM"] = "none"
        master = subprocess.Popen(
            serve_command("127.0.0.1", port),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert master.wait(timeout=60) != 0
        finally:
            if master.poll() is None:
                master.kill()
                master.wait(timeout=10)
    assert not (Path(tempfile.gettempdir()) / f"app-metrics-{master.pid}").exists()
