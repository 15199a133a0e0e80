"""Handlers of the probe API (test-only)."""

from __future__ import annotations

import threading
from typing import Any

from app.core.errors import ConflictError

# Set by the concurrency test: every request waits here until N requests are in flight.
BARRIER: dict[str, threading.Barrier] = {}


def echo(body: dict[str, Any], repeat: int = 1) -> dict[str, Any]:
    return {"body": body, "repeat": repeat}


def crash() -> dict[str, Any]:
    msg = "secret-internal-detail: SELECT * FROM users"
    raise RuntimeError(msg)


def conflict() -> dict[str, Any]:
    raise ConflictError("That name is taken.", code="name_taken")


def contract_breach() -> dict[str, Any]:
    return {"n": "not an integer"}


def rendezvous() -> dict[str, Any]:
    try:
        BARRIER["current"].wait()
    except threading.BrokenBarrierError:
        return {"met": False}
    return {"met": True}
