"""Concurrent clients creating items and documents through the real server, and what each
request got; then what the tables hold.

Every request carries a unique name (items) or title (documents), so the tables can be
compared with the answers: a 2xx must be in its table exactly once, and nothing may be
there that was never sent. Bounded: a fixed number of requests, 30 s per request.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import create_engine, text

CLIENTS = 64
REQUEST_TIMEOUT_S = 30.0
# A dependency that is down is refused quickly: at most the connect timeout
# (DATABASE_CONNECT_TIMEOUT_SECONDS=3, REDIS_TIMEOUT_SECONDS=2), plus a loaded machine's queue.
FAST_PROBLEM_S = 10.0
PATHS = {"items": "/api/v1/items", "documents": "/api/v1/documents"}


@dataclass(frozen=True)
class Outcome:
    kind: str  # items | documents
    key: str  # the unique name or title sent
    status: int | None  # None: no HTTP answer (a transport error)
    code: str | None  # the problem's code
    content_type: str | None
    error: str | None
    seconds: float
    finished_at: float


class Progress:
    """Requests finished so far; a fault thread waits on it to strike halfway."""

    def __init__(self) -> None:
        self._done = 0
        self._cond = threading.Condition()

    def tick(self) -> None:
        with self._cond:
            self._done += 1
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._done >= count, timeout)


def _body(kind: str, key: str) -> dict[str, object]:
    if kind == "items":
        return {"name": key, "price": "1.50"}
    return {"title": key, "content": "load"}


def _send(client: httpx.Client, kind: str, key: str, headers: dict[str, str]) -> Outcome:
    start = time.monotonic()
    try:
        response = client.post(PATHS[kind], json=_body(kind, key), headers=headers)
    except httpx.HTTPError as exc:
        now = time.monotonic()
        return Outcome(kind, key, None, None, None, repr(exc), now - start, now)
    now = time.monotonic()
    content_type = response.headers.get("content-type")
    code = None
    if content_type == "application/problem+json":
        code = response.json().get("code")
    return Outcome(kind, key, response.status_code, code, content_type, None, now - start, now)


def create_many(
    base: str,
    headers: dict[str, str],
    n: int,
    *,
    fault: Callable[[Progress, int], None] | None = None,
) -> list[Outcome]:
    """`n` items and `n` documents, interleaved, sent by CLIENTS threads (one keep-alive
    connection each); `fault(progress, total)` runs beside them on its own thread."""
    run = uuid.uuid4().hex[:8]
    work: queue.Queue[tuple[str, str]] = queue.Queue()
    for i in range(n):
        work.put(("items", f"load-{run}-item-{i}"))
        work.put(("documents", f"load-{run}-doc-{i}"))
    total = work.qsize()
    progress = Progress()
    outcomes: list[Outcome] = []
    lock = threading.Lock()

    def client_loop() -> None:
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
            while True:
                try:
                    kind, key = work.get_nowait()
                except queue.Empty:
                    return
                outcome = _send(client, kind, key, headers)
                with lock:
                    outcomes.append(outcome)
                progress.tick()

    threads = [threading.Thread(target=client_loop) for _ in range(CLIENTS)]
    striker = threading.Thread(target=fault, args=(progress, total)) if fault else None
    for thread in threads:
        thread.start()
    if striker is not None:
        striker.start()
    for thread in threads:
        thread.join(timeout=total * REQUEST_TIMEOUT_S)
    if striker is not None:
        striker.join(timeout=60)
    assert len(outcomes) == total, f"{total - len(outcomes)} requests never finished"
    return outcomes


def stored_keys(database_url: str) -> dict[str, list[str]]:
    """Every item name and document title the load wrote (duplicates kept)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return {
                "items": list(
                    conn.execute(text("SELECT name FROM items WHERE name LIKE 'load-%'")).scalars()
                ),
                "documents": list(
                    conn.execute(
                        text("SELECT title FROM documents WHERE title LIKE 'load-%'")
                    ).scalars()
                ),
            }
    finally:
        engine.dispose()


def assert_no_loss(
    outcomes: list[Outcome], stored: dict[str, list[str]], *, problems: set[str]
) -> None:
    """Every 2xx is stored exactly once; nothing stored was never sent; every other answer
    is a fast 503 problem with one of `problems`' codes (never a 500, never no answer)."""
    lost = [o for o in outcomes if o.status is None]
    assert not lost, f"{len(lost)} requests got no answer, e.g. {lost[:3]}"
    for kind in PATHS:
        rows = Counter(stored[kind])
        duplicates = [key for key, count in rows.items() if count > 1]
        assert not duplicates, f"{kind}: stored twice: {duplicates[:5]}"
        sent = {o.key for o in outcomes if o.kind == kind}
        assert set(rows) <= sent, f"{kind}: rows nobody sent: {sorted(set(rows) - sent)[:5]}"
        created = {o.key for o in outcomes if o.kind == kind and o.status == 201}
        missing = created - set(rows)
        assert not missing, f"{kind}: answered 201 but not stored: {sorted(missing)[:5]}"
    failed = [o for o in outcomes if o.status != 201]
    unclear = [
        o
        for o in failed
        if (o.status, o.content_type) != (503, "application/problem+json") or o.code not in problems
    ]
    assert not unclear, f"{len(unclear)} unclear failures, e.g. {unclear[:3]}"
    slow = [o for o in failed if o.seconds > FAST_PROBLEM_S]
    assert not slow, f"{len(slow)} problems took over {FAST_PROBLEM_S} s, e.g. {slow[:3]}"


def login(base: str, email: str, password: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": password}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}
