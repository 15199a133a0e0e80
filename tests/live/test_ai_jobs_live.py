"""Async jobs on the production path: the real server (`python -m app`) sends jobs to a real
Celery worker process (`celery -A app.tasks.celery_app worker`) over the real Redis, both on
the suite's database schema, with a private key prefix and queue per test.

A worker killed mid-job (SIGKILL, by its PID) never leaves the job `running`: with attempts
left, another worker finishes it (the reaper requeues it when its lease expires, or Redis
redelivers the unacknowledged message); on the last attempt it fails with
`job_worker_lost`. Bounded: short leases, every wait has a deadline, 127.0.0.1 only, every
process started here is stopped by its PID. Needs REDIS_URL (a failure under CI=true).
"""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from tests import services
from tests.auth_helpers import PASSWORD, make_user
from tests.celery_worker import worker
from tests.live_server import live_server, server_env

pytestmark = pytest.mark.live
URL = "/api/v1/ai/jobs"
EMAIL = "jobs-live@example.com"


@pytest.fixture
def env(database_url: str, redis_url: str | None, make_settings: Any) -> Iterator[dict[str, str]]:
    if redis_url is None:
        if services.IN_CI:
            pytest.fail("CI=true needs REDIS_URL: the Celery worker test runs on real Redis")
        pytest.skip("needs REDIS_URL (a Celery broker)")
    prefix = f"{make_settings().redis.key_prefix}-jobs-{uuid.uuid4().hex[:8]}"
    yield {
        **server_env(database_url, redis_url, prefix),
        "JOBS_BACKEND": "celery",
        "JOBS_QUEUE": f"jobs-{uuid.uuid4().hex[:8]}",
        "JOBS_LEASE_SECONDS": "3",
        "JOBS_REAP_INTERVAL_SECONDS": "0.5",
        "JOBS_VISIBILITY_TIMEOUT_SECONDS": "8",
        "LOG_LEVEL": "INFO",
    }
    client = redis.Redis.from_url(redis_url)
    services.delete_redis_keys(client, f"{prefix}:*")
    client.close()


def bearer(base: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def wait_for(
    base: str, headers: dict[str, str], job_id: int, statuses: set[str], timeout: float, log: Path
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = httpx.get(
            f"{base}{URL}/{job_id}", headers=headers, timeout=10
        ).json()["data"]
        if job["status"] in statuses:
            return job
        if time.monotonic() > deadline:
            pytest.fail(
                f"job {job_id} still {job['status']}; worker log:\n{log.read_text()[-4000:]}"
            )
        time.sleep(0.1)


def test_a_worker_runs_jobs_sent_by_the_server(
    app: Any, env: dict[str, str], tmp_path: Path
) -> None:
    make_user(app, EMAIL)
    log = tmp_path / "worker.log"
    with live_server(env, tmp_path / "server.log") as base, worker(env, log):
        headers = bearer(base)
        body = {"kind": "completion", "completion": {"prompt": "Hello worker.", "cache": False}}
        created = httpx.post(f"{base}{URL}", json=body, headers=headers, timeout=10)
        assert created.status_code == 202, created.text
        assert created.headers["location"].endswith(f"/ai/jobs/{created.json()['data']['id']}")
        recipe = {"kind": "recipe", "recipe": {"ingredients": ["leek"]}}
        second = httpx.post(f"{base}{URL}", json=recipe, headers=headers, timeout=10)
        done = wait_for(
            base, headers, created.json()["data"]["id"], {"succeeded", "failed"}, 60, log
        )
        assert done["status"] == "succeeded", done
        assert done["result"]["text"].endswith("Hello worker.") and done["attempts"] == 1
        kept = wait_for(
            base, headers, second.json()["data"]["id"], {"succeeded", "failed"}, 30, log
        )
        assert kept["status"] == "succeeded" and kept["result"]["saved_id"], kept


def kill_mid_job(
    app: Any, env: dict[str, str], tmp_path: Path, **after: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Start a slow job on a worker, SIGKILL the worker while the job runs, start another
    worker (a fast provider) and wait until the job leaves `running` for good. The job, and
    the owner's budget (`GET /ai/usage`'s quota) afterwards."""
    make_user(app, EMAIL)
    log = tmp_path / "worker.log"
    with live_server(env, tmp_path / "server.log") as base:
        headers = bearer(base)
        body = {"kind": "completion", "completion": {"prompt": "Slow one.", "cache": False}}
        job_id = httpx.post(f"{base}{URL}", json=body, headers=headers, timeout=10).json()["data"][
            "id"
        ]
        with worker(env, log, AI_FAKE_LATENCY_MS="60000") as doomed:
            running = wait_for(base, headers, job_id, {"running", "succeeded", "failed"}, 60, log)
            assert running["status"] == "running" and running["attempts"] == 1, running
            # `running` is written before the provider call reserves its budget: kill only
            # once the reservation is there (else the killed attempt had reserved nothing).
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                quota = httpx.get(f"{base}/api/v1/ai/usage", headers=headers, timeout=10)
                if quota.json()["data"]["quota"]["reserved"] > 0:
                    break
                time.sleep(0.1)
            doomed.send_signal(signal.SIGKILL)  # this worker, by its PID
            doomed.wait(timeout=10)
        assert httpx.get(f"{base}{URL}/{job_id}", headers=headers).json()["data"]["status"] == (
            "running"  # nobody has noticed yet: the lease has not expired
        )
        with worker(env, log, AI_FAKE_LATENCY_MS="0", **after):
            done = wait_for(base, headers, job_id, {"succeeded", "failed", "cancelled"}, 60, log)
        usage = httpx.get(f"{base}/api/v1/ai/usage", headers=headers, timeout=10).json()
        return done, usage["data"]["quota"]


# The killed attempt's reservation: "Slow one." estimated at 3 tokens + 4 for the message,
# plus the default max_tokens (1024). It never settled, so it stays charged.
KILLED_RESERVATION = 3 + 4 + 1024


def test_a_job_whose_worker_was_killed_is_finished_by_another(
    app: Any, env: dict[str, str], tmp_path: Path
) -> None:
    done, quota = kill_mid_job(app, env, tmp_path)
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2  # the killed attempt, then the one that finished
    assert done["result"]["text"].endswith("Slow one.")
    total = done["result"]["usage"]["total_tokens"]
    assert (quota["used_today"], quota["reserved"]) == (total, KILLED_RESERVATION)


def test_a_job_killed_on_its_last_attempt_fails_with_a_stable_code(
    app: Any, env: dict[str, str], tmp_path: Path
) -> None:
    done, quota = kill_mid_job(app, {**env, "JOBS_MAX_ATTEMPTS": "1"}, tmp_path)
    assert done["status"] == "failed", done
    # No usage row, but the attempt is not free: its reservation is the charge.
    assert (quota["used_today"], quota["reserved"]) == (0, KILLED_RESERVATION)
    problem = done["problem"]
    assert (problem["code"], problem["status"]) == ("job_worker_lost", 503)
    assert done["attempts"] == 1 and done["result"] is None
