"""Handlers of the probe API (test-only)."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlmodel import select

from app.accounts.models import User
from app.errors import ConflictError
from app.http.handler_context import current_principal, unit_of_work
from app.infra.pagination import PageRequest
from app.users import service as users

# Set by the concurrency test: every request waits here until N requests are in flight.
BARRIER: dict[str, threading.Barrier] = {}


def echo(body: dict[str, Any], repeat: int = 1) -> dict[str, Any]:
    return {"body": body, "repeat": repeat}


def crash() -> dict[str, Any]:
    msg = "secret-internal-detail: SELECT * FROM users"
    raise RuntimeError(msg)


def conflict() -> dict[str, Any]:
    raise ConflictError("That name is taken.", code="email_taken")


def contract_breach() -> dict[str, Any]:
    return {"n": "not an integer"}


def rendezvous() -> dict[str, Any]:
    try:
        BARRIER["current"].wait()
    except threading.BrokenBarrierError:
        return {"met": False}
    return {"met": True}


# Seconds the slow handler waits; the pool test sets it.
SLOW_SECONDS = {"value": 0.3}


def slow_read(release: bool) -> dict[str, Any]:
    """Read, then wait like a provider call: releasing first keeps the pool free."""
    uow = unit_of_work()
    count = len(users.list_users(uow, PageRequest(page=1, size=1)).items)
    if release:
        uow.release()
    time.sleep(SLOW_SECONDS["value"])
    return {"read": count}


def whoami() -> dict[str, Any]:
    return {"id": current_principal().user_id}


def lookup(email: str) -> dict[str, Any]:
    found = unit_of_work().session.exec(select(User.id).where(User.email == email)).first()
    return {"found": found is not None}
