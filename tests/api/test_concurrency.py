"""WSGI_THREADS takes effect: N slow requests are in flight at once.

No timing: every request waits at a barrier of N parties. The barrier only opens when
N handlers run concurrently, so the test passes iff the pool has at least N threads.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx

from app.main import create_app
from tests.probe import handlers
from tests.probe.mount import with_probe


async def _fire(app: Any, n: int) -> list[dict[str, Any]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        responses = await asyncio.gather(*(client.get("/_probe/rendezvous") for _ in range(n)))
    return [r.json() for r in responses]


def _rendezvous(make_settings: Any, *, threads: int, parties: int, timeout: float) -> list[bool]:
    app = with_probe(create_app(make_settings(wsgi_threads=threads)))
    handlers.BARRIER["current"] = threading.Barrier(parties, timeout=timeout)
    try:
        return [r["met"] for r in asyncio.run(_fire(app, parties))]
    finally:
        handlers.BARRIER.pop("current", None)


def test_pool_of_64_serves_40_requests_at_once(make_settings: Any) -> None:
    # Connexion's default pool (10) could never gather 40 parties.
    assert all(_rendezvous(make_settings, threads=64, parties=40, timeout=20))


def test_too_small_pool_cannot(make_settings: Any) -> None:
    # The control: with 4 threads the 8-party barrier times out, proving the test can fail.
    assert not any(_rendezvous(make_settings, threads=4, parties=8, timeout=1))
