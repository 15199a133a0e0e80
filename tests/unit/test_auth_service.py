"""The login service's timing profile, with a counting password hasher injected via AuthKit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.core.security.errors import AuthError
from app.core.security.passwords import Passwords
from app.services import auth
from tests.auth_helpers import PASSWORD, make_user, resources


class CountingPasswords(Passwords):
    """A real argon2 hasher that also counts verifications (dummy ones included)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_kib=1024, parallelism=1)
        self.verifications = 0

    def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return super().verify(password_hash, password)


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"])
def test_unknown_email_and_wrong_password_cost_one_argon2_verification(app, email: str) -> None:
    make_user(app, "ada@example.com")
    res = resources(app)
    counting = CountingPasswords()
    kit = replace(res.auth, passwords=counting)
    with res.db.session() as session, pytest.raises(AuthError) as info:
        auth.login(session, kit, email=email, password="wrong password", client="t")
    assert info.value.code == "invalid_credentials"
    assert counting.verifications == 1


def test_successful_login_costs_one_verification(app) -> None:
    make_user(app, "ada@example.com")
    res = resources(app)
    counting = CountingPasswords()
    with res.db.session() as session:
        auth.login(
            session,
            replace(res.auth, passwords=counting),
            email="ada@example.com",
            password=PASSWORD,
            client="t",
        )
    assert counting.verifications == 1
