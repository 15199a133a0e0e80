"""No-loss load: 64 concurrent clients create N items and N documents through the real server
(`python -m app` on 127.0.0.1) on real PostgreSQL and Redis.

- Healthy: exactly N rows each, no duplicates, only 201s.
- PostgreSQL restarted halfway (a private cluster, stopped and started by PID): while it is
  down requests get fast `503 service_unavailable` problems (no hang, no 500); after it is
  back the same server process creates rows again (no restart of the app); every 201 is in
  its table exactly once.
- Redis stopped halfway (a private redis-server): the same guarantees; bearer requests get
  `503 service_unavailable` (token revocation cannot be checked), and once Redis is back the
  server answers 201 again.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app
from tests import services
from tests.auth_helpers import PASSWORD, make_user
from tests.fault.load import (
    Outcome,
    Progress,
    assert_no_loss,
    create_many,
    login,
    stored_keys,
)
from tests.live_server import live_server, server_env
from tests.postgres_server import PrivatePostgres, private_postgres
from tests.redis_server import PrivateRedis, private_redis

pytestmark = pytest.mark.live
N = 200
EMAIL = "load@example.com"
# Few connections per server: the shared PostgreSQL serves every engineer's test run.
POOL = {"WSGI_THREADS": "16", "DATABASE_POOL_SIZE": "8", "DATABASE_MAX_OVERFLOW": "8"}


@pytest.fixture
def prefix(make_settings: Any) -> str:
    return f"{make_settings().redis.key_prefix}-load-{uuid.uuid4().hex[:8]}"


@contextmanager
def server(database_url: str, redis_url: str | None, prefix: str, log: Path) -> Iterator[str]:
    with live_server({**server_env(database_url, redis_url, prefix), **POOL}, log) as base:
        yield base


def probe(base: str, headers: dict[str, str]) -> int:
    """One more item after the fault: the same server process recovered."""
    body = {"name": f"probe-{uuid.uuid4().hex[:8]}", "price": "1.00"}
    return httpx.post(f"{base}/api/v1/items", json=body, headers=headers, timeout=30).status_code


def test_64_clients_create_exactly_n_rows(
    app: Any, database_url: str, redis_url: str | None, prefix: str, tmp_path: Path
) -> None:
    make_user(app, EMAIL)
    with server(database_url, redis_url, prefix, tmp_path / "server.log") as base:
        outcomes = create_many(base, login(base, EMAIL, PASSWORD), N)
    assert {o.status for o in outcomes} == {201}, [o for o in outcomes if o.status != 201][:3]
    stored = stored_keys(database_url)
    assert (len(stored["items"]), len(stored["documents"])) == (N, N)
    assert_no_loss(outcomes, stored, problems=set())


def restart_halfway(pg: PrivatePostgres, marks: dict[str, float]) -> Any:
    def strike(progress: Progress, total: int) -> None:
        progress.wait_for(total // 2, timeout=60)
        pg.stop()
        marks["stopped"] = time.monotonic()
        # Down while another tenth of the requests is answered (or 5 s), then back.
        progress.wait_for(total * 6 // 10, timeout=5)
        pg.start()
        marks["started"] = time.monotonic()

    return strike


def after(outcomes: list[Outcome], moment: float) -> list[Outcome]:
    return [o for o in outcomes if o.finished_at - o.seconds > moment]


def test_postgres_restarted_halfway_loses_nothing(
    make_settings: Any, redis_url: str | None, prefix: str, tmp_path: Path
) -> None:
    with private_postgres() as pg:
        services.migrate(pg.url)
        make_user(create_app(make_settings(database_url=pg.url)), EMAIL)
        marks: dict[str, float] = {}
        with server(pg.url, redis_url, prefix, tmp_path / "server.log") as base:
            headers = login(base, EMAIL, PASSWORD)
            outcomes = create_many(base, headers, N, fault=restart_halfway(pg, marks))
            recovered = probe(base, headers)
        stored = stored_keys(pg.url)

    assert set(marks) == {"stopped", "started"}
    assert_no_loss(outcomes, stored, problems={"service_unavailable"})
    refused = [o for o in outcomes if o.status == 503]
    assert refused, "no request saw the database down"
    # Recovered under load, without restarting the app: requests sent after the restart
    # were created.
    assert any(o.status == 201 for o in after(outcomes, marks["started"]))
    assert recovered == 201


def test_redis_stopped_halfway_loses_nothing(
    app: Any, database_url: str, prefix: str, tmp_path: Path
) -> None:
    make_user(app, EMAIL)
    with private_redis() as redis_server:
        with server(database_url, redis_server.url, prefix, tmp_path / "server.log") as base:
            headers = login(base, EMAIL, PASSWORD)
            outcomes = create_many(base, headers, N, fault=stop_halfway(redis_server))
            redis_server.start()
            recovered = probe(base, headers)
        stored = stored_keys(database_url)

    assert_no_loss(outcomes, stored, problems={"service_unavailable"})
    assert any(o.status == 503 for o in outcomes), "no request saw Redis down"
    assert any(o.status == 201 for o in outcomes)
    assert recovered == 201


def stop_halfway(redis_server: PrivateRedis) -> Any:
    def strike(progress: Progress, total: int) -> None:
        progress.wait_for(total // 2, timeout=60)
        redis_server.stop()

    return strike
