"""SIGTERM to `make serve` (gunicorn + uvicorn workers) under load: the slow requests already
in flight all finish with 200, the callers hammering it meanwhile get answers below 500
until the listener closes, and after that only refused connections; the master exits 0.

Bounded: a fixed set of slow requests, hammer threads that stop at their first refused
connection or after 15 s, every wait with a deadline; the master is stopped by its PID.
"""

from __future__ import annotations

import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import metrics_text
from tests.auth_helpers import PASSWORD, make_user
from tests.fault.load import login
from tests.live_server import server_env
from tests.serving import gunicorn_server

pytestmark = pytest.mark.live
EMAIL = "sigterm-load@example.com"
SLOW = 12  # completions in flight when the signal arrives
HAMMERS = 8
HAMMER_S = 15.0


def in_flight(base: str, at_least: int, timeout: float = 30.0) -> bool:
    """True once the workers (summed by /metrics) are answering `at_least` requests."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scrape = metrics_text.parse(httpx.get(f"{base}/metrics", timeout=5).text)
        if metrics_text.value(scrape, "http_requests_in_flight") >= at_least:
            return True
        time.sleep(0.05)
    return False


def refused(exc: Exception) -> bool:
    """Refused, or closed before any response byte: without a response (FIN), or reset (RST:
    the server closed a connection it had accepted while the request's bytes were still
    unread, which the kernel answers with a reset)."""
    return (
        isinstance(exc, httpx.ConnectError)
        or (isinstance(exc, httpx.RemoteProtocolError) and "without sending a response" in str(exc))
        or (isinstance(exc, httpx.ReadError) and "Connection reset by peer" in str(exc))
    )


def test_sigterm_under_load_drains_in_flight_requests(
    app: Any, database_url: str, redis_url: str | None, tmp_path: Path
) -> None:
    make_user(app, EMAIL)
    env = {
        **server_env(database_url, redis_url, f"fault-term-{uuid.uuid4().hex[:8]}"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT_SECONDS": "20",
        "AI_FAKE_LATENCY_MS": "3000",
    }
    with gunicorn_server(env, tmp_path / "gunicorn.log") as (master, base):
        headers = login(base, EMAIL, PASSWORD)
        slow: list[httpx.Response | Exception] = []
        hammered: list[int] = []
        errors: list[tuple[float, Exception]] = []
        lock = threading.Lock()
        stop = threading.Event()

        def complete(i: int) -> None:
            body = {"prompt": f"drain me {i}", "cache": False}
            try:
                response = httpx.post(
                    f"{base}/api/v1/ai/completions", json=body, headers=headers, timeout=60
                )
            except httpx.HTTPError as exc:
                response = exc  # type: ignore[assignment]
            with lock:
                slow.append(response)

        def hammer() -> None:
            deadline = time.monotonic() + HAMMER_S
            while not stop.is_set() and time.monotonic() < deadline:
                try:  # a new connection each time: after the signal they are refused
                    status = httpx.get(f"{base}/api/v1/items", headers=headers, timeout=30)
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append((time.monotonic(), exc))
                    if isinstance(exc, httpx.ConnectError):
                        return
                    continue
                with lock:
                    hammered.append(status.status_code)

        slow_threads = [threading.Thread(target=complete, args=(i,)) for i in range(SLOW)]
        hammer_threads = [threading.Thread(target=hammer) for _ in range(HAMMERS)]
        for thread in slow_threads + hammer_threads:
            thread.start()
        try:
            assert in_flight(base, SLOW), "the slow requests never reached the workers"
            deadline = time.monotonic() + 10
            while len(hammered) < HAMMERS and time.monotonic() < deadline:
                time.sleep(0.05)
            served_before = len(hammered)
            signalled_at = time.monotonic()
            master.send_signal(signal.SIGTERM)
            for thread in slow_threads + hammer_threads:
                thread.join(timeout=60)
        finally:
            stop.set()
        exit_code = master.wait(timeout=40)

    assert len(slow) == SLOW
    failed = [r for r in slow if not isinstance(r, httpx.Response) or r.status_code != 200]
    assert not failed, failed
    texts = [r.json()["data"]["text"] for r in slow]  # type: ignore[union-attr]
    assert all(t.startswith("Fake answer") for t in texts), texts
    assert served_before > 0 and hammered, "the hammer never got an answer"
    assert all(status < 500 for status in hammered), sorted(set(hammered))
    # Only new connections fail, and only after the signal: refused once the listener is
    # closed, or closed before any response byte (accepted just as the drain began; the
    # request never started, so a client may retry it).
    assert errors, "no connection was refused: the listener never closed"
    assert all(at > signalled_at and refused(exc) for at, exc in errors), errors
    assert exit_code == 0
