"""Lock out repeated logins per email and per client, and throttle registrations per client,
with the `limits` package (moving windows).

Every attempt is counted *before* the password is checked, with `limits`' atomic hit (record,
then decide), so parallel guesses cannot all slip past a check made before any failure was
recorded: exactly the limit gets through. A successful login clears the email's counter.
Redis-backed when configured (shared by all processes), in-process memory otherwise.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import AbstractContextManager, nullcontext

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis import Redis

from app.errors import TooManyAttemptsError
from app.infra.metrics import RATE_LIMITED


class LoginThrottle:
    def __init__(
        self, storage: Storage, *, per_email: str, per_client: str, register_per_client: str
    ) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        # limits' MemoryStorage makes its per-key locks lazily (a defaultdict, and `clear`
        # drops them), so two threads hitting a fresh key can hold different locks and both
        # pass. One process-wide lock keeps in-memory hits exact; Redis hits are atomic
        # (a Lua script) and need none.
        self._serialize: AbstractContextManager[object] = (
            threading.Lock() if isinstance(storage, MemoryStorage) else nullcontext()
        )
        self._per_email = parse(per_email)
        self._per_client = parse(per_client)
        self._register = parse(register_per_client)

    @classmethod
    def create(
        cls,
        *,
        redis: Redis | None,
        key_prefix: str,
        per_email: str,
        per_client: str,
        register_per_client: str,
    ) -> LoginThrottle:
        """Share the app's Redis connection pool; memory storage without Redis."""
        storage: Storage = (
            RedisStorage(
                "redis://", connection_pool=redis.connection_pool, key_prefix=f"{key_prefix}:limits"
            )
            if redis is not None
            else MemoryStorage()
        )
        return cls(
            storage,
            per_email=per_email,
            per_client=per_client,
            register_per_client=register_per_client,
        )

    @property
    def shared(self) -> bool:
        """True when the counters live in Redis, where other processes (the CLI) see them."""
        return not isinstance(self._storage, MemoryStorage)

    def attempt_login(self, *, email: str, client: str) -> None:
        """Count one login attempt; raise 429 with Retry-After once a budget is spent."""
        self._hit(self._per_client, "login-client", client, "Too many login attempts")
        self._hit(self._per_email, "login-email", email, "Too many login attempts")

    def attempt_registration(self, *, client: str) -> None:
        self._hit(self._register, "register-client", client, "Too many registrations")

    def record_success(self, *, email: str) -> None:
        notice = type(self._per_email)(1, self._per_email.multiples)
        with self._serialize:
            self._limiter.clear(self._per_email, "login-email", email)
            self._limiter.clear(notice, "login-email-notice", email)

    def unlock(self, *, email: str) -> None:
        """Lift an email's lockout (operators)."""
        self.record_success(email=email)

    def reset(self) -> None:
        """Forget every counter (tests)."""
        self._storage.reset()

    def _hit(self, item: RateLimitItem, kind: str, ident: str, what: str) -> None:
        with self._serialize:
            if self._limiter.hit(item, kind, ident):
                return
            reset_at = self._limiter.get_window_stats(item, kind, ident).reset_time
            # One notice per window and identity: a lockout is reported once, not once per
            # refused attempt (which an attacker could repeat at will).
            first = self._limiter.hit(type(item)(1, item.multiples), f"{kind}-notice", ident)
        retry_after = max(1, math.ceil(reset_at - time.time()))
        RATE_LIMITED.labels(kind).inc()
        if not kind.startswith("login"):
            raise TooManyAttemptsError(
                f"{what}; retry in {retry_after} seconds.",
                code="rate_limited",
                retry_after=retry_after,
                limit=item.amount,
            )
        raise LockedOutError(
            f"{what}; retry in {retry_after} seconds.",
            retry_after=retry_after,
            limit=item.amount,
            scope=kind.removeprefix("login-"),
            first=first,
        )


class LockedOutError(TooManyAttemptsError):
    """A refused login attempt. `scope` is what is locked out (`email` or `client`);
    `first` is true for the first refusal in a lockout window, the one worth auditing."""

    def __init__(
        self, detail: str, *, retry_after: int, limit: int, scope: str, first: bool
    ) -> None:
        super().__init__(
            detail, code="too_many_login_attempts", retry_after=retry_after, limit=limit
        )
        self.scope = scope
        self.first = first
