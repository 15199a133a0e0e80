"""Passwords, revocations, the login throttle and the spec's role table."""

from __future__ import annotations

import pytest
from limits.storage import MemoryStorage

from app.auth.login_throttle import LockedOutError, LoginThrottle
from app.auth.passwords import Passwords
from app.auth.revocation import MemoryRevocations
from app.contract.spec import load_spec, role_table
from app.errors import TooManyAttemptsError as TooManyLoginAttemptsError


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
    now = [1000.0]
    store = MemoryRevocations(clock=lambda: now[0])
    store.revoke("jti:a", 10)
    assert store.any_revoked("jti:a")
    assert store.any_revoked("jti:x", "jti:a")
    assert not store.any_revoked("jti:b")
    now[0] += 9.9
    assert store.any_revoked("jti:a")
    now[0] += 0.2
    assert not store.any_revoked("jti:a")


def _throttle(**limits: str) -> LoginThrottle:
    values = {"per_email": "100/minute", "per_client": "100/minute", **limits}
    return LoginThrottle(MemoryStorage(), register_per_client="2/minute", **values)


def test_throttle_locks_out_after_the_limit_and_success_clears() -> None:
    throttle = _throttle(per_email="3/minute")
    for _ in range(3):
        throttle.attempt_login(email="a@x.io", client="1.1.1.1")
    with pytest.raises(TooManyLoginAttemptsError) as info:
        throttle.attempt_login(email="a@x.io", client="1.1.1.1")
    assert info.value.code == "too_many_login_attempts"
    assert info.value.retry_after is not None and 1 <= info.value.retry_after <= 60
    throttle.attempt_login(email="b@x.io", client="1.1.1.1")  # another email is not locked
    throttle.record_success(email="a@x.io", client="1.1.1.1")
    throttle.attempt_login(email="a@x.io", client="1.1.1.1")


def test_throttle_per_client() -> None:
    throttle = _throttle(per_client="2/minute")
    for i in range(2):
        throttle.attempt_login(email=f"u{i}@x.io", client="9.9.9.9")
    with pytest.raises(TooManyLoginAttemptsError):
        throttle.attempt_login(email="fresh@x.io", client="9.9.9.9")
    throttle.attempt_login(email="fresh@x.io", client="8.8.8.8")


def test_registration_throttle_per_client() -> None:
    throttle = _throttle()
    throttle.attempt_registration(client="7.7.7.7")
    throttle.attempt_registration(client="7.7.7.7")
    with pytest.raises(TooManyLoginAttemptsError) as info:
        throttle.attempt_registration(client="7.7.7.7")
    assert info.value.code == "rate_limited"
    throttle.attempt_registration(client="6.6.6.6")


def test_unlock_lifts_an_email_lockout() -> None:
    throttle = _throttle(per_email="1/minute")
    throttle.attempt_login(email="a@x.io", client="1.1.1.1")
    with pytest.raises(TooManyLoginAttemptsError):
        throttle.attempt_login(email="a@x.io", client="1.1.1.1")
    throttle.unlock(email="a@x.io")
    throttle.attempt_login(email="a@x.io", client="1.1.1.1")


def test_a_clients_successes_are_credited_and_only_failures_lock_it_out() -> None:
    throttle = _throttle(per_client="2/minute")
    for i in range(10):  # ten successful logins from one address (an office NAT)
        throttle.attempt_login(email=f"u{i}@x.io", client="9.9.9.9")
        throttle.record_success(email=f"u{i}@x.io", client="9.9.9.9")
    for i in range(2):  # failures (no success recorded): exactly the limit gets through
        throttle.attempt_login(email=f"f{i}@x.io", client="9.9.9.9")
    with pytest.raises(LockedOutError) as info:
        throttle.attempt_login(email="u0@x.io", client="9.9.9.9")
    assert info.value.scope == "client"
    assert info.value.limit == 2
    # Another address's successes do not help this one.
    throttle.record_success(email="u0@x.io", client="8.8.8.8")
    with pytest.raises(LockedOutError):
        throttle.attempt_login(email="u0@x.io", client="9.9.9.9")


def test_unlock_client_lifts_every_limit_of_an_address() -> None:
    throttle = _throttle(per_client="1/minute")
    throttle.attempt_login(email="a@x.io", client="1.1.1.1")
    throttle.attempt_registration(client="1.1.1.1")
    throttle.attempt_registration(client="1.1.1.1")
    with pytest.raises(LockedOutError):
        throttle.attempt_login(email="b@x.io", client="1.1.1.1")
    with pytest.raises(TooManyLoginAttemptsError):
        throttle.attempt_registration(client="1.1.1.1")
    throttle.unlock_client(client="1.1.1.1")
    throttle.attempt_login(email="b@x.io", client="1.1.1.1")
    throttle.attempt_registration(client="1.1.1.1")


def test_role_table_covers_every_secured_operation() -> None:
    table = role_table(load_spec())
    assert table["listUsers"] == frozenset({"admin"})
    assert table["getMe"] == frozenset({"admin", "user", "readonly"})
    assert "getHealth" not in table
    assert "login" not in table


def test_role_table_rejects_missing_or_unknown_roles() -> None:
    spec = {"security": [{"bearerAuth": []}], "paths": {"/x": {"get": {"operationId": "x"}}}}
    with pytest.raises(ValueError, match="need x-roles"):
        role_table(spec)
    spec["paths"]["/x"]["get"]["x-roles"] = ["wizard"]
    with pytest.raises(ValueError, match="need x-roles"):
        role_table(spec)
    public = {"paths": {"/y": {"get": {"operationId": "y", "security": [], "x-roles": ["admin"]}}}}
    with pytest.raises(ValueError, match="public operation"):
        role_table(public)


def test_the_dummy_hash_costs_a_real_verification() -> None:
    passwords = fast()
    dummy = passwords._dummy_hash
    assert not passwords.needs_rehash(dummy)  # same parameters as a real hash
    assert not passwords.verify(dummy, "anything")
    assert dummy != fast()._dummy_hash  # random per process
