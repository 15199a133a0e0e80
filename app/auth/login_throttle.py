"""Lock out repeated logins per email and per client, and throttle registrations per client,
with the `limits` package (moving windows).

Every attempt is counted *before* the password is checked, with `limits`' atomic hit (record,
then decide), so parallel guesses cannot all slip past a check made before any failure was
recorded: exactly the limit gets through. A successful login clears the email's counter and
is credited to its client: the client's budget is the limit plus its successful logins in
the window, so only failures use it up (an office behind one NAT address is not locked out
by its own logins) while every attempt is still counted before the check. Password checks
of credential changes (`current_password`) go through the same counters.
Redis-backed when configured (shared by all processes), in-process memory otherwise.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import AbstractContextManager, nullcontext

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, MovingWindowSupport, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis import Redis

from app.errors import TooManyAttemptsError
from app.infra.metrics import RATE_LIMITED

# At most this many successful logins per window are credited to one client address.
MAX_CLIENT_CREDIT = 10_000


class LoginThrottle:
    def __init__(
        self,
        storage: Storage,
        *,
        per_email: str,
        per_client: str,
        register_per_client: str,
    ) -> None:
        assert isinstance(storage, MovingWindowSupport)
        self._storage = storage
        self._windows: MovingWindowSupport = storage
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
        self._credit = type(self._per_client)(MAX_CLIENT_CREDIT, self._per_client.multiples)
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
        """Count one login attempt (or one check of a credential change's current password);
        raise 429 with Retry-After once a budget is spent."""
        credited = self._limiter.get_window_stats(self._credit, "login-client-ok", client)
        extra = self._credit.amount - credited.remaining
        self._hit(self._per_client, "login-client", client, "Too many login attempts", extra)
        self._hit(self._per_email, "login-email", email, "Too many login attempts")

    def attempt_registration(self, *, client: str) -> None:
        self._hit(self._register, "register-client", client, "Too many registrations")

    def record_success(self, *, email: str, client: str) -> None:
        """The attempt just counted succeeded: clear the email's counter and give `client`
        its attempt back (as credit, see the module docstring)."""
        self.unlock(email=email)
        with self._serialize:
            self._limiter.hit(self._credit, "login-client-ok", client)

    def unlock(self, *, email: str) -> None:
        """Lift an email's lockout (operators)."""
        with self._serialize:
            for item, kind in self._with_notice(self._per_email, "login-email"):
                self._limiter.clear(item, kind, email)

    def unlock_client(self, *, client: str) -> None:
        """Lift every limit of a client address: its login lockout, its successful-login
        credit and its registration throttle (operators: `flask ratelimit reset ip:...`)."""
        with self._serialize:
            for item, kind in (
                *self._with_notice(self._per_client, "login-client"),
                (self._credit, "login-client-ok"),
                *self._with_notice(self._register, "register-client"),
            ):
                self._limiter.clear(item, kind, client)

    def reset(self) -> None:
        """Forget every counter (tests)."""
        self._storage.reset()

    @staticmethod
    def _with_notice(item: RateLimitItem, kind: str) -> tuple[tuple[RateLimitItem, str], ...]:
        return (item, kind), (type(item)(1, item.multiples), f"{kind}-notice")

    def _hit(self, item: RateLimitItem, kind: str, ident: str, what: str, extra: int = 0) -> None:
        """`limits`' atomic moving-window hit (`MovingWindowRateLimiter.hit` is this call)
        on `item`'s key, allowing `extra` entries beyond its amount (a client's credit)."""
        key, amount, expiry = item.key_for(kind, ident), item.amount + extra, item.get_expiry()
        with self._serialize:
            if self._windows.acquire_entry(key, amount, expiry):
                return
            reset_at = self._windows.get_moving_window(key, amount, expiry)[0] + expiry
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
