"""The login service's timing profile, with a counting password hasher injected."""

from __future__ import annotations

import pytest

from app.auth.passwords import Passwords
from app.auth.service import AuthService
from app.errors import AuthenticationError as AuthError
from tests.auth_helpers import PASSWORD, make_user, resources


class CountingPasswords(Passwords):
    """A real argon2 hasher that also counts verifications (dummy ones included)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_kib=1024, parallelism=1)
        self.verifications = 0

    def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return super().verify(password_hash, password)


def _with_passwords(service: AuthService, passwords: Passwords) -> AuthService:
    return AuthService(
        passwords=passwords,
        tokens=service.tokens,
        revocations=service.revocations,
        throttle=service.throttle,
        refresh_ttl_seconds=service.refresh_ttl_seconds,
    )


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"])
def test_unknown_email_and_wrong_password_cost_one_argon2_verification(app, email: str) -> None:
    make_user(app, "ada@example.com")
    res = resources(app)
    counting = CountingPasswords()
    service = _with_passwords(res.auth, counting)
    with res.db.unit_of_work() as uow, pytest.raises(AuthError) as info:
        service.login(uow, email=email, password="wrong password", client="t")
    assert info.value.code == "invalid_credentials"
    assert counting.verifications == 1


def test_successful_login_costs_one_verification(app) -> None:
    make_user(app, "ada@example.com")
    res = resources(app)
    counting = CountingPasswords()
    with res.db.unit_of_work() as uow:
        _with_passwords(res.auth, counting).login(
            uow,
            email="ada@example.com",
            password=PASSWORD,
            client="t",
        )
    assert counting.verifications == 1
