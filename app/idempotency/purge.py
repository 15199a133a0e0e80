"""Housekeeping: rows kept only until they expire. The job reaper runs one bounded pass on
its timer (every `JOBS_REAP_INTERVAL_SECONDS`, in the API process or the Celery worker),
and `flask db purge-expired` runs it to the end for a cron."""

from __future__ import annotations

import structlog

from app.idempotency import service as idempotency
from app.infra.db import Database

log = structlog.get_logger(__name__)

PURGE_BATCH = 1000  # rows per transaction


def purge_expired(db: Database, *, max_batches: int | None = None) -> int:
    """Delete expired idempotency keys in batches of `PURGE_BATCH` (each its own
    transaction), until none is left or `max_batches` ran; returns how many."""
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        with db.unit_of_work() as uow:
            deleted = idempotency.purge_expired(uow, limit=PURGE_BATCH)
        total += deleted
        batches += 1
        if deleted < PURGE_BATCH:
            break
    if total:
        log.info("idempotency_keys_purged", count=total)
    return total
