"""Single flight over a cache: concurrent misses of one key make one call, not one each.

Within a process, the first thread to miss a key leads and the others wait on its event,
then read the cache. Across processes (with Redis), each process's leader also takes a
short Redis lock on the key (redis-py's `Lock`: SET NX PX with a random token, released by
a compare-and-delete script); a process that finds it taken polls the cache, and the lock,
until the value appears. The lock is released only after the value is stored, so a waiter
never sees "no lock, no value" while a leader succeeded.

Never a deadlock, never a long wait: a leader that fails (or whose value is not cached)
lets the next waiter take over; nobody waits longer than `wait_s` (the provider timeout)
before calling on its own; the Redis lock expires after `wait_s` if its holder died; and
with Redis unreachable the processes simply stop coordinating with each other.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import redis
import structlog
from redis.exceptions import LockError

from app.infra.cache import Cache, Produce
from app.infra.metrics import count_cache

log = structlog.get_logger(__name__)


class SingleFlight:
    """A `Cache` whose misses are coalesced per key; `cache` stores the values."""

    def __init__(
        self,
        cache: Cache,
        client: redis.Redis | None,
        *,
        prefix: str,
        wait_s: float,
        poll_s: float = 0.05,
    ) -> None:
        self._cache = cache
        self._client = client
        self._locks = f"{prefix}:flight:"
        self._wait_s = wait_s
        self._poll_s = poll_s
        self._guard = threading.Lock()
        self._flights: dict[str, threading.Event] = {}  # keys being produced here now

    def get_or_set(self, key: str, produce: Produce) -> Any:
        found = self._cache.peek(key)
        count_cache(key, hit=found is not None)
        if found is not None:
            return found
        deadline = time.monotonic() + self._wait_s
        while True:
            with self._guard:
                flight = self._flights.get(key)
                leading = flight is None
                if flight is None:
                    flight = self._flights[key] = threading.Event()
            if leading:
                try:
                    return self._lead(key, produce, deadline)
                finally:
                    with self._guard:
                        del self._flights[key]
                    flight.set()
            flight.wait(max(0.0, deadline - time.monotonic()))
            found = self._cache.peek(key)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                return self._produce(key, produce)  # waited long enough: call on our own
            # The leader failed or had nothing to cache: the first waiter here takes over.

    def _lead(self, key: str, produce: Produce, deadline: float) -> Any:
        """This process's leader: the value, produced here unless another process does."""
        if self._client is None:
            found = self._cache.peek(key)  # a previous leader may have just stored it
            return found if found is not None else self._produce(key, produce)
        lock = self._client.lock(self._locks + key, timeout=self._wait_s)
        while True:
            try:
                held = lock.acquire(blocking=False)
            except redis.RedisError as exc:
                log.warning("single_flight_unavailable", error=type(exc).__name__)
                return self._produce(key, produce)
            if held:
                try:
                    found = self._cache.peek(key)
                    return found if found is not None else self._produce(key, produce)
                finally:
                    _release(lock)
            found = self._cache.peek(key)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                return self._produce(key, produce)
            time.sleep(self._poll_s)

    def _produce(self, key: str, produce: Produce) -> Any:
        value = produce()
        self._cache.put(key, value)
        return value

    def peek(self, key: str) -> Any:
        return self._cache.peek(key)

    def put(self, key: str, value: Any) -> None:
        self._cache.put(key, value)

    def invalidate(self, *patterns: str) -> None:
        self._cache.invalidate(*patterns)


def _release(lock: Any) -> None:
    try:
        lock.release()
    except (LockError, redis.RedisError) as exc:
        # Expired (the call outlived `wait_s`) or Redis went away: it expires by itself.
        log.info("single_flight_lock_lost", error=type(exc).__name__)
