"""Server-sent event streams held open while wrk measures something else (issue 12: open
streams must not starve the requests that are not streams).

`HeldStreams` opens N streams on its own thread and event loop, waits until each has
delivered its first event (so each is really open at the server, upstream call included),
keeps reading them while the scenario runs, and reports how many were still open and
healthy at the end. Bounded: the opening wait has a deadline, and leaving the block closes
every connection (the server then cancels those streams).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

STREAM_PATH = "/api/v1/ai/completions/stream"
# Twelve words: the fake provider streams ~16 pieces, AI_FAKE_STREAM_PAUSE_MS apart.
STREAM_BODY = {"prompt": "one two three four five six seven eight nine ten eleven twelve"}


@dataclass
class HeldStats:
    requested: int
    opened: int = 0  # delivered a first event
    finished: int = 0  # ended (a `done` event) before the measurement was over
    errors: int = 0  # refused, an `error` event, or a broken connection
    error_samples: list[str] = field(default_factory=list)

    @property
    def open_at_end(self) -> int:
        return self.opened - self.finished - self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "requested": self.requested,
            "opened": self.opened,
            "open_at_end": self.open_at_end,
            "finished_early": self.finished,
            "errors": self.errors,
            "error_samples": self.error_samples[:3],
        }


async def _one(client: httpx.AsyncClient, stats: HeldStats, all_open: threading.Event) -> None:
    """One stream, read until it ends or is cancelled."""
    first = True
    try:
        async with client.stream("POST", STREAM_PATH, json=STREAM_BODY) as response:
            if response.status_code != 200:
                stats.errors += 1
                stats.error_samples.append(f"status {response.status_code}")
                return
            async for line in response.aiter_lines():
                if not line.startswith("event: "):
                    continue
                if first:
                    first = False
                    stats.opened += 1
                if line == "event: error":
                    stats.errors += 1
                    return
                if line == "event: done":
                    stats.finished += 1
                    return
                if stats.opened + stats.errors >= stats.requested:
                    all_open.set()
    except httpx.HTTPError as exc:
        stats.errors += 1
        stats.error_samples.append(type(exc).__name__)
    finally:
        if stats.opened + stats.errors >= stats.requested:
            all_open.set()


async def _hold(
    port: int, token: str, stats: HeldStats, all_open: threading.Event, stop: asyncio.Event
) -> None:
    limits = httpx.Limits(max_connections=stats.requested + 10, max_keepalive_connections=0)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
        limits=limits,
    ) as client:
        tasks = [asyncio.create_task(_one(client, stats, all_open)) for _ in range(stats.requested)]
        await stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@contextmanager
def held_streams(
    port: int, token: str, count: int, *, open_timeout_s: float = 60.0
) -> Iterator[HeldStats]:
    """Hold `count` streams open for the duration of the block."""
    stats = HeldStats(requested=count)
    loop = asyncio.new_event_loop()
    all_open = threading.Event()
    stop = asyncio.Event()  # bound to `loop` on first use, in its thread
    main = _hold(port, token, stats, all_open, stop)
    thread = threading.Thread(target=loop.run_until_complete, args=(main,), daemon=True)
    thread.start()
    try:
        all_open.wait(timeout=open_timeout_s)
        yield stats
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        if not thread.is_alive():
            loop.close()
