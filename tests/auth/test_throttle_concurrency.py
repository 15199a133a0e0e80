"""The login throttle counts atomically, in memory and in Redis: threads released together by a
barrier get exactly the limit through, per email and per client.

The control replays the defect an outside probe found (check the counter, verify the password,
then record the failure) with the same storage and the same barrier, and lets every guess
through, so the exact-count assertion can fail.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from limits import parse
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from app.auth.login_throttle import LoginThrottle
from app.errors import TooManyAttemptsError


@pytest.fixture(params=["memory", "redis"])
def storage_throttle(
    request: pytest.FixtureRequest, redis_url: str | None
) -> Iterator[Callable[..., LoginThrottle]]:
    """Build throttles on one fresh storage (a private Redis key prefix, deleted afterwards)."""
    client: redis.Redis | None = None
    if request.param == "redis":
        if redis_url is None:
            pytest.skip("REDIS_URL not set (CI always sets it)")
        client = redis.Redis.from_url(redis_url)
    prefix = f"test-throttle-{uuid.uuid4().hex}"

    def build(*, per_email: str = "1000/hour", per_client: str = "1000/hour") -> LoginThrottle:
        return LoginThrottle.create(
            redis=client,
            key_prefix=prefix,
            per_email=per_email,
            per_client=per_client,
            register_per_client="1000/hour",
        )

    yield build
    if client is not None:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def race(parties: int, attempt: Callable[[int], None]) -> int:
    """Run `attempt(i)` in `parties` threads released at once; return how many got through."""
    start = threading.Barrier(parties, timeout=10)

    def one(i: int) -> TooManyAttemptsError | None:
        start.wait()
        try:
            attempt(i)
        except TooManyAttemptsError as exc:
            return exc
        return None

    with ThreadPoolExecutor(parties) as pool:
        refusals = [r for r in pool.map(one, range(parties)) if r is not None]
    assert {(r.code, r.retry_after is not None and r.retry_after >= 1) for r in refusals} <= {
        ("too_many_login_attempts", True)
    }
    return parties - len(refusals)


def test_parallel_attempts_at_one_email_pass_exactly_the_limit(
    storage_throttle: Callable[..., LoginThrottle],
) -> None:
    throttle = storage_throttle(per_email="5/minute")
    assert race(20, lambda _: throttle.attempt_login(email="a@x.io", client="1.1.1.1")) == 5


def test_parallel_attempts_from_one_client_pass_exactly_the_limit(
    storage_throttle: Callable[..., LoginThrottle],
) -> None:
    throttle = storage_throttle(per_client="30/minute")
    passed = race(60, lambda i: throttle.attempt_login(email=f"u{i}@x.io", client="9.9.9.9"))
    assert passed == 30


class CheckThenRecord:
    """The defect: decide on the counter first, record the failure after the (slow) check."""

    def __init__(self, storage: Storage, limit: str, parties: int) -> None:
        self.limiter = MovingWindowRateLimiter(storage)
        self.item = parse(limit)
        self.verifying = threading.Barrier(parties, timeout=10)

    def attempt(self, email: str) -> None:
        if not self.limiter.test(self.item, "login-email", email):
            raise TooManyAttemptsError(code="too_many_login_attempts", retry_after=1)
        self.verifying.wait()  # argon2 runs here, for every guess at once
        self.limiter.hit(self.item, "login-email", email)  # the wrong password is recorded


def test_control_check_then_record_lets_every_parallel_guess_through() -> None:
    racy = CheckThenRecord(MemoryStorage(), "5/minute", parties=20)
    assert race(20, lambda _: racy.attempt("a@x.io")) == 20
