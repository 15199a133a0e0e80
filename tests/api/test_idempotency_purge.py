"""Expired idempotency keys are deleted: by `flask db purge-expired` (all of them, in
batches, for a cron) and by the job reaper on its timer (a batch per pass); keys still
within their 24 hours, finished or still running, are kept."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import connexion
from sqlalchemy import insert
from sqlmodel import select
from starlette.testclient import TestClient

from app.idempotency import purge as maintenance
from app.idempotency.models import IdempotencyKey
from app.infra.column_types import utcnow
from tests.auth_helpers import Account, resources
from tests.cli_apps import app_with, cli

COMPLETE = "/api/v1/ai/completions"


def keys(app: connexion.FlaskApp) -> set[str]:
    with resources(app).db.transaction() as session:
        return set(session.exec(select(IdempotencyKey.key)).all())


def store(app: connexion.FlaskApp, user_id: int, *, fresh: int, expired: int) -> None:
    """Rows as the API writes them; the expired ones a day past their TTL (one multi-row
    INSERT: quick for a thousand rows)."""
    now = utcnow()
    common = {"user_id": user_id, "fingerprint": "f" * 64}
    rows = [
        {
            **common,
            "key": f"old-{i}",
            "status_code": 200,
            "response_body": {"success": True},
            "created_at": now - timedelta(hours=48),
            "expires_at": now - timedelta(hours=24, seconds=i),
        }
        for i in range(expired)
    ] + [
        {
            **common,
            "key": f"new-{i}",
            "status_code": None,
            "response_body": None,
            "created_at": now,
            "expires_at": now + timedelta(hours=23),
        }
        for i in range(fresh)
    ]
    if rows:
        with resources(app).db.transaction() as session:
            session.execute(insert(IdempotencyKey), rows)


def test_flask_db_purge_expired_deletes_expired_keys_only(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    kept = client.post(
        COMPLETE, json={"prompt": "keep"}, headers={**member.headers, "Idempotency-Key": "live"}
    )
    assert kept.status_code == 200
    assert member.user.id is not None
    # More than one batch, so the command goes on until none is left.
    store(app, member.user.id, fresh=2, expired=maintenance.PURGE_BATCH + 5)
    result = cli(app, "db", "purge-expired")
    assert result.exit_code == 0, result.output
    assert (
        result.output.strip() == f"purged {maintenance.PURGE_BATCH + 5} expired idempotency key(s)"
    )
    assert keys(app) == {"live", "new-0", "new-1"}
    # The kept key still replays.
    again = client.post(
        COMPLETE, json={"prompt": "keep"}, headers={**member.headers, "Idempotency-Key": "live"}
    )
    assert again.headers["idempotent-replayed"] == "true"
    assert cli(app, "db", "purge-expired").output.strip() == "purged 0 expired idempotency key(s)"


def test_the_job_reaper_purges_expired_keys_on_its_timer(
    make_settings: Any, app: connexion.FlaskApp, member: Account
) -> None:
    assert member.user.id is not None
    store(app, member.user.id, fresh=1, expired=3)
    # The in-process job queue's reaper: its first pass runs as it starts.
    with app_with(make_settings, jobs_backend="inprocess") as reaping:
        resources(reaping).jobs.start()
        deadline = time.monotonic() + 20
        while keys(app) != {"new-0"} and time.monotonic() < deadline:
            time.sleep(0.05)
    assert keys(app) == {"new-0"}


def test_the_purge_is_bounded_per_reaper_pass(app: connexion.FlaskApp, member: Account) -> None:
    assert member.user.id is not None
    store(app, member.user.id, fresh=0, expired=maintenance.PURGE_BATCH + 3)
    db = resources(app).db
    assert maintenance.purge_expired(db, max_batches=1) == maintenance.PURGE_BATCH
    assert keys(app) == {"old-0", "old-1", "old-2"}  # the newest expired ones are left
    assert maintenance.purge_expired(db, max_batches=1) == 3
