"""PostgreSQL down for a while under concurrent callers of the real server, on a private
cluster stopped and started by its PID: reads and writes get fast `503 service_unavailable`
problems with Retry-After (no hang, no 500), `/health` is 503 with `database` down while
`/health/live` stays 200; once PostgreSQL is back the same server process answers again (no
restart of the app). The no-loss variant under load is tests/fault/test_no_loss.py."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from tests import services
from tests.auth_helpers import PASSWORD, make_user
from tests.fault.load import FAST_PROBLEM_S, login
from tests.live_server import live_server, server_env
from tests.postgres_server import private_postgres
from tests.problems import assert_problem

pytestmark = pytest.mark.live
EMAIL = "pg-outage@example.com"
CALLERS = 16
DOWN_S = 3.0


def test_postgres_down_then_back(make_settings: Any, redis_url: str | None, tmp_path: Path) -> None:
    with private_postgres() as pg:
        services.migrate(pg.url)
        make_user(create_app(make_settings(database_url=pg.url)), EMAIL)
        prefix = f"{make_settings().redis.key_prefix}-pg-{uuid.uuid4().hex[:8]}"
        with (
            live_server(server_env(pg.url, redis_url, prefix), tmp_path / "server.log") as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            headers = login(base, EMAIL, PASSWORD)

            def call(i: int) -> tuple[httpx.Response, float]:
                start = time.monotonic()
                if i % 2:
                    response = httpx.get(f"{base}/api/v1/items", headers=headers, timeout=30)
                else:
                    body = {"name": f"outage {i}", "price": "1.00"}
                    response = httpx.post(
                        f"{base}/api/v1/items", json=body, headers=headers, timeout=30
                    )
                return response, time.monotonic() - start

            assert client.get("/api/v1/items", headers=headers).status_code == 200
            pg.stop()
            answers = []
            down_until = time.monotonic() + DOWN_S
            with ThreadPoolExecutor(CALLERS) as pool:
                while time.monotonic() < down_until:
                    answers += list(pool.map(call, range(CALLERS)))
            health = client.get("/api/v1/health")
            live = client.get("/api/v1/health/live")
            pg.start()
            deadline = time.monotonic() + 20
            while client.get("/api/v1/health").status_code != 200:
                assert time.monotonic() < deadline, "/health never recovered"
                time.sleep(0.2)
            after = [call(i) for i in range(4)]

    assert len(answers) >= CALLERS
    for response, seconds in answers:
        assert_problem(response, 503, "service_unavailable")
        assert response.headers["retry-after"]
        assert seconds < FAST_PROBLEM_S, seconds
    assert health.status_code == 503
    assert health.json()["data"]["checks"]["database"]["status"] == "down"
    assert live.status_code == 200
    assert [r.status_code for r, _ in after] == [201, 200, 201, 200]
