"""Redis (REDIS_URL: cache, rate-limit counters, token revocations, job broker) stopped and
restarted under the real server, on a private redis-server stopped and started by its PID.

While it is down:
- the cache is bypassed: an API-key caller lists items from the database, including one
  written during the outage (no stale list);
- rate limits fail open (requests pass) or closed (`503 rate_limiter_unavailable`) per
  `RATE_LIMIT_FAIL_OPEN`;
- a bearer token cannot be checked against revocations: `503 service_unavailable`;
- job submission is answered clearly: the job is stored `queued` (202) and sent once the
  broker is back (the reaper resends unsent messages), or refused by the fail-closed limiter;
- `/health` is 503 `unavailable` with `redis` down (REDIS_URL is required), `/health/live` 200.
Every answer is fast (no hang) and none is a 500. After Redis is back the same server process
recovers: bearer requests, `/health` ok, limits counting again, and the queued job runs.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.auth_helpers import PASSWORD, make_user
from tests.celery_worker import worker
from tests.fault.load import FAST_PROBLEM_S, login
from tests.live_server import live_server, server_env
from tests.problems import assert_problem, problem_code
from tests.redis_server import private_redis

pytestmark = pytest.mark.live
EMAIL = "redis-outage@example.com"
ITEMS = "/api/v1/items"
JOBS = "/api/v1/ai/jobs"
JOB = {"kind": "completion", "completion": {"prompt": "After the outage.", "cache": False}}


def timed(call: Any) -> httpx.Response:
    start = time.monotonic()
    response: httpx.Response = call()
    assert time.monotonic() - start < FAST_PROBLEM_S, f"slow answer: {response.text}"
    assert response.status_code != 500, response.text
    return response


def wait_until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what} within {timeout} s"
        time.sleep(0.2)
    return found


@pytest.mark.parametrize("fail_open", [True, False], ids=["fail-open", "fail-closed"])
def test_redis_stopped_and_restarted(
    app: Any, database_url: str, make_settings: Any, tmp_path: Path, fail_open: bool
) -> None:
    make_user(app, EMAIL)
    prefix = f"{make_settings().redis.key_prefix}-outage-{uuid.uuid4().hex[:8]}"
    with private_redis() as redis_server:
        env = {
            **server_env(database_url, redis_server.url, prefix),
            "RATE_LIMIT_FAIL_OPEN": str(fail_open).lower(),
            "RATE_LIMIT_OVERRIDES": '{"listItems": {"user": "1000/minute"}}',
            "JOBS_BACKEND": "celery",
            "JOBS_QUEUE": f"outage-{uuid.uuid4().hex[:8]}",
            "JOBS_REQUEUE_AFTER_SECONDS": "1",
            "JOBS_REAP_INTERVAL_SECONDS": "0.5",
        }
        with (
            live_server(env, tmp_path / "server.log") as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            bearer = login(base, EMAIL, PASSWORD)
            created = client.post("/api/v1/auth/api-keys", json={"name": "outage"}, headers=bearer)
            assert created.status_code == 201, created.text
            key = {"X-API-Key": created.json()["data"]["key"]}
            listed = client.get(ITEMS, headers=key)  # now cached, empty
            assert listed.status_code == 200 and listed.json()["data"]["total"] == 0
            assert int(listed.headers["x-ratelimit-remaining"]) == 999

            redis_server.stop()
            job_id = outage(client, bearer, key, fail_open)
            assert timed(lambda: client.get("/api/v1/health/live")).status_code == 200
            down = timed(lambda: client.get("/api/v1/health"))
            assert down.status_code == 503, down.text
            checks = down.json()["data"]["checks"]
            assert down.json()["data"]["status"] == "unavailable"
            assert checks["redis"]["status"] == "down" and checks["redis"]["required"]
            assert checks["rate_limiter"]["status"] == "down"

            redis_server.start()  # empty: counters, revocations and cache start over
            wait_until(
                lambda: client.get("/api/v1/health").status_code == 200, 20, "/health ok again"
            )
            back = client.get(ITEMS, headers=bearer)
            assert back.status_code == 200, back.text
            again = client.get(ITEMS, headers=bearer)
            assert int(again.headers["x-ratelimit-remaining"]) < int(
                back.headers["x-ratelimit-remaining"]
            )  # counting again
            if job_id is not None:
                with worker(env, tmp_path / "worker.log"):
                    done = wait_until(
                        lambda: finished(client, key, job_id), 60, "the queued job finished"
                    )
                assert done["status"] == "succeeded", done
                assert done["result"]["text"].endswith("After the outage.")


def outage(
    client: httpx.Client, bearer: dict[str, str], key: dict[str, str], fail_open: bool
) -> int | None:
    """The requests made while Redis is down; the id of a job stored meanwhile, if any."""
    revoked_unknown = timed(lambda: client.get(ITEMS, headers=bearer))
    # Failing closed, the limiter may refuse first (which check runs first is not the point).
    codes = {"service_unavailable"} | (set() if fail_open else {"rate_limiter_unavailable"})
    assert problem_code(revoked_unknown) in codes, revoked_unknown.text
    assert revoked_unknown.status_code == 503 and revoked_unknown.headers["retry-after"]
    item = {"name": "written during the outage", "price": "2.00"}
    if not fail_open:
        for call in (
            lambda: client.get(ITEMS, headers=key),
            lambda: client.post(ITEMS, json=item, headers=key),
            lambda: client.post(JOBS, json=JOB, headers=key),
        ):
            refused = timed(call)
            assert_problem(refused, 503, "rate_limiter_unavailable")
            assert refused.headers["retry-after"]
        return None
    assert timed(lambda: client.post(ITEMS, json=item, headers=key)).status_code == 201
    listed = timed(lambda: client.get(ITEMS, headers=key))  # the cached empty list is not used
    assert listed.status_code == 200, listed.text
    assert [i["name"] for i in listed.json()["data"]["items"]] == [item["name"]]
    job = timed(lambda: client.post(JOBS, json=JOB, headers=key))
    assert job.status_code == 202, job.text
    assert job.json()["data"]["status"] == "queued"
    job_id: int = job.json()["data"]["id"]
    return job_id


def finished(client: httpx.Client, key: dict[str, str], job_id: int) -> dict[str, Any] | None:
    job: dict[str, Any] = client.get(f"{JOBS}/{job_id}", headers=key).json()["data"]
    return job if job["status"] in ("succeeded", "failed", "cancelled") else None
