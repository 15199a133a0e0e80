"""Each token defect gives 401 with its own code and an `invalid_token` Bearer challenge."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.main import create_app
from tests import jwt_forge as forge
from tests.auth_helpers import Account, login, make_user
from tests.keys import write_keypair

ME = "/api/v1/users/me"


def assert_invalid_token(response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="api", error="invalid_token"'), challenge


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("make", "code"), [c[1:] for c in forge.TAMPERED], ids=[c[0] for c in forge.TAMPERED]
)
def test_tampered_tokens_via_api(
    client: TestClient, settings, member: Account, make, code: str
) -> None:
    assert_invalid_token(client.get(ME, headers=bearer(make(settings, str(member.user.id)))), code)


def test_a_correctly_forged_token_would_work(client: TestClient, settings, member: Account) -> None:
    # The control for the cases above: the same recipe with the right key is accepted.
    token = forge.signed(settings, sub=str(member.user.id), sst=member.user.session_stamp)
    assert client.get(ME, headers=bearer(token)).status_code == 200


def test_hs_rs_confusion_via_api(make_settings, tmp_path: Path) -> None:
    private, public, public_pem = write_keypair(tmp_path, "rsa")
    settings = make_settings(
        jwt_algorithm="RS256", jwt_private_key_file=private, jwt_public_key_file=public
    )
    app = create_app(settings)
    client = app.test_client()
    user = make_user(app, "rsa@example.com")
    good = login(client, "rsa@example.com")["access_token"]
    assert client.get(ME, headers=bearer(good)).status_code == 200
    forged = forge.hs256_with_key_bytes(
        settings, public_pem, sub=str(user.id), sst=user.session_stamp
    )
    assert_invalid_token(client.get(ME, headers=bearer(forged)), "token_algorithm_mismatch")


def test_token_of_a_deleted_user(client: TestClient, admin: Account, member: Account) -> None:
    assert (
        client.delete(f"/api/v1/users/{member.user.id}", headers=admin.headers).status_code == 204
    )
    assert_invalid_token(client.get(ME, headers=member.headers), "token_user_not_found")


def test_token_of_a_deactivated_user(client: TestClient, admin: Account, member: Account) -> None:
    client.patch(
        f"/api/v1/users/{member.user.id}", json={"is_active": False}, headers=admin.headers
    )
    assert_invalid_token(client.get(ME, headers=member.headers), "token_user_inactive")


def test_revoked_token(client: TestClient, member: Account) -> None:
    assert client.post("/api/v1/auth/logout", headers=member.headers).status_code == 204
    assert_invalid_token(client.get(ME, headers=member.headers), "token_revoked")


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer a b", "bearer  "])
def test_malformed_authorization_header(client: TestClient, header: str) -> None:
    assert_invalid_token(client.get(ME, headers={"Authorization": header}), "token_malformed")


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Basic dXNlcjpwdw=="}, {"Authorization": "Token abc"}]
)
def test_missing_credentials(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["www-authenticate"] == 'Bearer realm="api"'


def test_role_change_takes_effect_immediately(
    client: TestClient, admin: Account, member: Account
) -> None:
    # A role change ends the user's sessions; the next login carries the new role.
    client.patch(f"/api/v1/users/{member.user.id}", json={"role": "admin"}, headers=admin.headers)
    assert_invalid_token(client.get(ME, headers=member.headers), "token_revoked")
    promoted = login(client, "member@example.com")["access_token"]
    assert client.get("/api/v1/users", headers=bearer(promoted)).status_code == 200
    client.patch(
        f"/api/v1/users/{member.user.id}", json={"role": "readonly"}, headers=admin.headers
    )
    assert_invalid_token(client.get(ME, headers=bearer(promoted)), "token_revoked")
    demoted = login(client, "member@example.com")["access_token"]
    assert client.get("/api/v1/users", headers=bearer(demoted)).status_code == 403
