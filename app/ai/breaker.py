"""One circuit breaker per provider, shared by every thread and the event loop of a process.

Closed: calls pass; `failures` consecutive retryable failures (timeouts, connection errors,
429, 5xx) open it. Open: the provider is skipped at once (no timeout paid) for `open_s`
seconds. Then half-open: exactly ONE caller is let through as a probe while everyone else
keeps skipping; the probe's success closes the breaker, its failure opens it again. Only
the probe decides: a call admitted earlier that ends while the breaker is open or half-open
changes nothing. A call that ends without a verdict (cancelled, our own bug) just gives
its probe slot back.

Written here rather than taken from a library, because none fits (checked):
pybreaker 1.4 holds the breaker's lock for the whole guarded call (`CircuitBreaker.call`),
which would serialise every call to a provider within a process, lets every concurrent
caller through while half-open, and supports Tornado but not asyncio; purgatory 3.0 and
circuitbreaker 2.1 keep their state without any lock. The lock here guards only the state
(never held across I/O), so it is safe on the event loop too.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

State = Literal["closed", "open", "half_open"]
OnChange = Callable[[str, State], None]


@dataclass(frozen=True)
class Admission:
    """Leave to call the provider; `probe`: this call decides a half-open breaker."""

    provider: str
    probe: bool


@dataclass(frozen=True)
class BreakerView:
    provider: str
    state: State
    failures: int  # consecutive retryable failures counted while closed
    retry_after_s: int | None  # open: seconds until a probe may go; else None


class Breaker:
    def __init__(
        self,
        provider: str,
        *,
        failures: int,
        open_s: float,
        on_change: OnChange | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider = provider
        self._threshold = failures
        self._open_s = open_s
        self._on_change = on_change
        self._clock = clock
        self._lock = threading.Lock()
        self._state: State = "closed"
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False

    def admit(self) -> Admission | None:
        """Leave to call, or None: skip this provider now (open, or a probe is out)."""
        with self._lock:
            if self._state == "closed":
                return Admission(self.provider, probe=False)
            if self._state == "open":
                if self._clock() - self._opened_at < self._open_s:
                    return None
                self._move("half_open")
            if self._probing:
                return None
            self._probing = True
            return Admission(self.provider, probe=True)

    def settle(self, admission: Admission, *, ok: bool | None) -> None:
        """The call's verdict: `ok` True (the provider answered, even with an error of the
        request's own), False (a retryable failure), None (no verdict)."""
        with self._lock:
            if admission.probe:
                self._probing = False
                if ok is True:
                    self._failures = 0
                    self._move("closed")
                elif ok is False:
                    self._open()
                return
            if self._state != "closed" or ok is None:
                return
            if ok:
                self._failures = 0
                return
            self._failures += 1
            if self._failures >= self._threshold:
                self._open()

    def retry_after(self) -> int:
        """Whole seconds until this provider may be tried again (at least 1)."""
        with self._lock:
            left = self._opened_at + self._open_s - self._clock()
            return max(1, math.ceil(left)) if self._state == "open" else 1

    def view(self) -> BreakerView:
        with self._lock:
            left = self._opened_at + self._open_s - self._clock()
            wait = max(0, math.ceil(left)) if self._state == "open" else None
            return BreakerView(self.provider, self._state, self._failures, wait)

    def _open(self) -> None:
        self._opened_at = self._clock()
        self._failures = 0
        self._move("open")

    def _move(self, state: State) -> None:
        """Change state (the lock is held); the callback only updates metrics."""
        if state == self._state:
            return
        self._state = state
        if self._on_change is not None:
            self._on_change(self.provider, state)
