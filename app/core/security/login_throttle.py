"""Lock out repeated failed logins per email and per client, with the `limits` package.

Only failures are counted (a moving window); a success clears the email's counter.
Redis-backed when configured (shared by all processes), in-process memory otherwise.
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis import Redis

from app.core.errors import AppError


class TooManyLoginAttemptsError(AppError):
    status = 429
    code = "too_many_login_attempts"


class LoginThrottle:
    def __init__(self, storage: Storage, *, per_email: str, per_client: str) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._per_email = parse(per_email)
        self._per_client = parse(per_client)

    @classmethod
    def create(
        cls, *, redis: Redis | None, key_prefix: str, per_email: str, per_client: str
    ) -> LoginThrottle:
        """Share the app's Redis connection pool; memory storage without Redis."""
        storage: Storage = (
            RedisStorage(
                "redis://", connection_pool=redis.connection_pool, key_prefix=f"{key_prefix}:limits"
            )
            if redis is not None
            else MemoryStorage()
        )
        return cls(storage, per_email=per_email, per_client=per_client)

    def check(self, *, email: str, client: str) -> None:
        """Raise 429 with Retry-After if either counter is exhausted."""
        for item, kind, ident in (
            (self._per_email, "login-email", email),
            (self._per_client, "login-client", client),
        ):
            if not self._limiter.test(item, kind, ident):
                reset_at = self._limiter.get_window_stats(item, kind, ident).reset_time
                retry_after = max(1, math.ceil(reset_at - time.time()))
                raise TooManyLoginAttemptsError(
                    f"Too many failed logins; retry in {retry_after} seconds.",
                    headers={"Retry-After": str(retry_after)},
                )

    def record_failure(self, *, email: str, client: str) -> None:
        self._limiter.hit(self._per_email, "login-email", email)
        self._limiter.hit(self._per_client, "login-client", client)

    def record_success(self, *, email: str) -> None:
        self._limiter.clear(self._per_email, "login-email", email)

    def reset(self) -> None:
        """Forget every counter (tests, or an operator lifting a lockout)."""
        self._storage.reset()
