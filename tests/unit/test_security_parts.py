"""Passwords, revocations, the login throttle and the spec's role table."""

from __future__ import annotations

import time

import pytest
import redis
from limits.storage import MemoryStorage

from app.core.security.login_throttle import LoginThrottle, TooManyLoginAttemptsError
from app.core.security.passwords import Passwords
from app.core.security.rbac import roles_by_operation
from app.core.security.revocation import MemoryRevocations, RedisRevocations
from app.core.spec import load_spec


def fast(**kw) -> Passwords:
    return Passwords(**{"time_cost": 1, "memory_kib": 1024, "parallelism": 1, **kw})


def test_password_hash_and_verify() -> None:
    passwords = fast()
    hashed = passwords.hash("correct horse")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert passwords.verify(hashed, "correct horse")
    assert not passwords.verify(hashed, "wrong horse")
    assert not passwords.verify("not-a-hash", "correct horse")
    passwords.verify_dummy("anything")  # must not raise


def test_needs_rehash_when_parameters_change() -> None:
    old = fast().hash("pw-12345678")
    assert not fast().needs_rehash(old)
    assert fast(time_cost=2).needs_rehash(old)
    assert fast().needs_rehash("garbage")


def test_memory_revocations_expire() -> None:
    store = MemoryRevocations()
    store.revoke("jti:a", 1)
    assert store.any_revoked("jti:a")
    assert store.any_revoked("jti:x", "jti:a")
    assert not store.any_revoked("jti:b")


def test_redis_revocations(redis_url: str | None) -> None:
    if redis_url is None:
        pytest.skip("REDIS_URL not set (CI always sets it)")
    client = redis.Redis.from_url(redis_url)
    prefix = f"test-revocations-{time.time_ns()}"
    store = RedisRevocations(client, prefix)
    try:
        store.revoke("jti:a", 60)
        assert store.any_revoked("jti:a")
        assert not store.any_revoked("jti:b")
        assert 0 < client.ttl(f"{prefix}:revoked:jti:a") <= 60
    finally:
        client.delete(f"{prefix}:revoked:jti:a")
        client.close()


def test_throttle_locks_out_after_failures_and_success_clears() -> None:
    throttle = LoginThrottle(MemoryStorage(), per_email="3/minute", per_client="100/minute")
    for _ in range(3):
        throttle.check(email="a@x.io", client="1.1.1.1")
        throttle.record_failure(email="a@x.io", client="1.1.1.1")
    with pytest.raises(TooManyLoginAttemptsError) as info:
        throttle.check(email="a@x.io", client="1.1.1.1")
    assert info.value.status == 429
    assert 1 <= int(info.value.headers["Retry-After"]) <= 60
    throttle.check(email="b@x.io", client="1.1.1.1")  # another email is not locked
    throttle.record_success(email="a@x.io")
    throttle.check(email="a@x.io", client="1.1.1.1")


def test_throttle_per_client() -> None:
    throttle = LoginThrottle(MemoryStorage(), per_email="100/minute", per_client="2/minute")
    for i in range(2):
        throttle.record_failure(email=f"u{i}@x.io", client="9.9.9.9")
    with pytest.raises(TooManyLoginAttemptsError):
        throttle.check(email="fresh@x.io", client="9.9.9.9")
    throttle.check(email="fresh@x.io", client="8.8.8.8")


def test_role_table_covers_every_secured_operation() -> None:
    table = roles_by_operation(load_spec())
    assert table["app.api.users.list_users"] == frozenset({"admin"})
    assert table["app.api.users.get_me"] == frozenset({"admin", "user", "readonly"})
    assert "app.api.health.get_health" not in table
    assert "app.api.auth.login" not in table


def test_role_table_rejects_missing_or_unknown_roles() -> None:
    spec = {"security": [{"bearerAuth": []}], "paths": {"/x": {"get": {"operationId": "x"}}}}
    with pytest.raises(ValueError, match="need x-roles"):
        roles_by_operation(spec)
    spec["paths"]["/x"]["get"]["x-roles"] = ["wizard"]
    with pytest.raises(ValueError, match="need x-roles"):
        roles_by_operation(spec)
    public = {"paths": {"/y": {"get": {"operationId": "y", "security": [], "x-roles": ["admin"]}}}}
    with pytest.raises(ValueError, match="public operation"):
        roles_by_operation(public)
