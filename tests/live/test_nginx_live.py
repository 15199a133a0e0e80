"""The committed nginx config, for real: Debian's nginx (`.ci/run` installs it) runs
`nginx/nginx.conf` on a free loopback port with its own prefix and temp dirs, in front of
the real server (`python -m app`) on the suite's database and Redis.

Only the `listen` and `server api:8000` lines (and temp paths) differ from production.
Checked: `nginx -t`; a JSON request and a login pass through; every security header is sent
exactly once (the app's where it set one, nginx's HSTS and fallbacks otherwise) and Swagger
UI keeps its own CSP; gzip; a server-sent event stream arrives event by event, not in one
buffered piece; nginx's own answers (body too large, rate limited, /metrics) are problem+json.

With CI=true a missing nginx fails; elsewhere it skips. Bounded: nginx and the app run on
127.0.0.1, at most ~120 requests, each process stopped by its PID.
"""

from __future__ import annotations

import getpass
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.http.response_policy import API_CSP
from generated.models import Problem
from tests import services
from tests.auth_helpers import PASSWORD, make_user
from tests.live_server import ROOT, free_port, live_server, server_env
from tests.problems import assert_problem, assert_problem_type

pytestmark = pytest.mark.live
CONFIG = ROOT / "nginx" / "nginx.conf"
EMAIL = "nginx-live@example.com"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        message = "nginx is not installed (apt-get install nginx; .ci/run does)"
        if services.IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def render(config: str, *, listen_port: int, upstream_port: int, prefix: Path) -> str:
    """The production config with only its addresses (and temp paths) changed."""
    replaced = {
        "        listen 80;\n": f"        listen 127.0.0.1:{listen_port};\n",
        "        server api:8000;\n": f"        server 127.0.0.1:{upstream_port};\n",
    }
    for old, new in replaced.items():
        assert config.count(old) == 1, f"nginx.conf must contain {old.strip()!r} once"
        config = config.replace(old, new)
    temp = "".join(f"    {kind}_temp_path {prefix / kind};\n" for kind in TEMP_DIRS)
    return config.replace("http {\n", "http {\n" + temp, 1)


@pytest.fixture
def proxied(
    app: Any, database_url: str, redis_url: str | None, make_settings: Any, tmp_path: Path
) -> Iterator[str]:
    """Yield nginx's base URL, the real app behind it."""
    binary = nginx_binary()
    make_user(app, EMAIL)
    prefix = f"{make_settings().redis.key_prefix}-nginx-{uuid.uuid4().hex[:8]}"
    env = {
        **server_env(database_url, redis_url, prefix),
        "TRUSTED_PROXIES": "127.0.0.1",
        "AI_FAKE_STREAM_PAUSE_MS": "400",
    }
    with live_server(env, tmp_path / "app.log") as upstream:
        root = tmp_path / "nginx"
        for kind in ("logs", *TEMP_DIRS):
            (root / kind).mkdir(parents=True)
        port = free_port()
        conf = root / "nginx.conf"
        conf.write_text(
            render(
                CONFIG.read_text(),
                listen_port=port,
                upstream_port=int(upstream.rsplit(":", 1)[1]),
                prefix=root,
            )
        )
        # Workers run as this user (as root, nginx would switch them to nobody).
        directives = f"daemon off; pid {root / 'nginx.pid'}; user {getpass.getuser()};"
        cmd = [binary, "-p", str(root), "-c", str(conf), "-e", str(root / "logs" / "error.log")]
        checked = subprocess.run(
            [*cmd, "-t", "-g", directives], check=False, capture_output=True, text=True, timeout=30
        )
        assert checked.returncode == 0, checked.stderr
        assert "test is successful" in checked.stderr
        log = (root / "logs" / "nginx.out").open("wb")
        proc = subprocess.Popen([*cmd, "-g", directives], stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 15
            while True:
                assert proc.poll() is None, (root / "logs" / "nginx.out").read_text()
                try:
                    httpx.get(f"{base}/nginx-health", timeout=1)
                    break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline, "nginx did not start"
                    time.sleep(0.1)
            yield base
        finally:
            proc.terminate()  # SIGTERM: nginx's fast shutdown, master and its workers
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            log.close()


def single(response: httpx.Response, name: str) -> str:
    values = response.headers.get_list(name)
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


def assert_security_headers(response: httpx.Response, csp: str | None = API_CSP) -> None:
    assert single(response, "strict-transport-security").startswith("max-age=31536000")
    assert single(response, "x-content-type-options") == "nosniff"
    assert single(response, "x-frame-options") == "DENY"
    assert single(response, "referrer-policy") == "no-referrer"
    if csp is not None:
        assert single(response, "content-security-policy") == csp
    assert single(response, "server") == "nginx"  # no version


def assert_nginx_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """A problem nginx answered itself: the app's wire format, no upstream involved."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    Problem.model_validate(body)
    assert (body["status"], body["code"]) == (status, code)
    assert_problem_type(body)  # the app's type URI and title for the code
    assert body["request_id"] == single(response, "x-request-id")
    assert_security_headers(response)
    return body


def test_nginx_serves_the_app_with_its_headers_and_streams_unbuffered(proxied: str) -> None:
    with httpx.Client(base_url=proxied, timeout=30) as client:
        live = client.get("/api/v1/health/live", headers={"X-Request-ID": "trace-me.1"})
        assert live.status_code == 200
        assert live.headers["content-type"] == "application/json"
        assert live.json()["success"] is True
        assert single(live, "x-request-id") == "trace-me.1"
        assert_security_headers(live)

        # A JSON body in, a token out; the app's problems pass through untouched.
        login = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert login.status_code == 200, login.text
        token = login.json()["data"]["access_token"]
        bad = client.post("/api/v1/auth/login", json={"email": EMAIL})
        assert_problem(bad, 422, "validation_error")
        assert_security_headers(bad)

        spec = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert spec.status_code == 200
        assert spec.headers["content-encoding"] == "gzip"
        assert spec.json()["openapi"].startswith("3.0")

        docs = client.get("/api/v1/docs/")
        assert docs.status_code == 200
        assert docs.headers["content-type"].startswith("text/html")
        csp = single(docs, "content-security-policy")
        assert re.search(r"script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;", csp), csp
        assert_security_headers(docs, csp=None)
        # Swagger UI's 1.7 MB bundle (text/javascript) travels compressed.
        bundle = client.get(
            "/api/v1/docs/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip"}
        )
        assert bundle.status_code == 200
        assert bundle.headers["content-encoding"] == "gzip"

        # /metrics never reaches the app.
        assert_nginx_problem(client.get("/metrics"), 404, "not_found")
        # Larger than nginx's client_max_body_size (the app's own limit is lower).
        huge = client.post(
            "/api/v1/auth/login",
            content=b"x" * (3 * 1024 * 1024),
            headers={"Content-Type": "application/json"},
        )
        assert_nginx_problem(huge, 413, "payload_too_large")

        # Server-sent events: read the raw network chunks as they come.
        chunks: list[tuple[float, bytes]] = []
        with client.stream(
            "POST",
            "/api/v1/ai/completions/stream",
            json={"prompt": "one two three four"},
            headers={"Authorization": f"Bearer {token}"},
        ) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert "content-encoding" not in stream.headers
            for chunk in stream.iter_raw():
                chunks.append((time.monotonic(), chunk))
    body = b"".join(chunk for _, chunk in chunks)
    deltas = body.count(b"event: delta\n")
    assert deltas >= 6, body  # "Fake answer <seed> to: one two three four", word by word
    assert body.count(b"event: done\n") == 1
    done_at = next(i for i, (_, chunk) in enumerate(chunks) if b"event: done" in chunk)
    before_done = b"".join(chunk for _, chunk in chunks[:done_at]).count(b"event: delta\n")
    # Buffered, the events would arrive together at the end; here one at a time.
    assert before_done >= deltas - 1, [chunk for _, chunk in chunks]
    assert done_at >= deltas - 1
    first_delta = next(t for t, chunk in chunks if b"event: delta" in chunk)
    assert chunks[done_at][0] - first_delta >= 0.4 * (deltas - 2)


def test_nginx_limits_the_request_rate_per_client(proxied: str) -> None:
    with httpx.Client(base_url=proxied, timeout=30) as client:
        responses = [client.get("/api/v1/health/live") for _ in range(100)]
    statuses = {r.status_code for r in responses}
    assert statuses == {200, 429}, statuses
    limited = next(r for r in responses if r.status_code == 429)
    assert_nginx_problem(limited, 429, "rate_limited")
    assert single(limited, "retry-after") == "1"
    # The burst (40) passes at once; the rest is held to 20 per second.
    assert sum(r.status_code == 200 for r in responses) >= 40
