"""Every way an access token can be wrong maps to its own 401 code."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.auth.tokens import TokenCodec
from app.errors import AuthenticationError as AuthError
from app.models import Role
from app.settings import Settings
from tests import jwt_forge as forge
from tests.keys import write_keypair

SECRET = "s" * 40


def hs_settings(**kw) -> Settings:
    return Settings(_env_file=None, jwt_secret=SECRET, **kw)  # type: ignore[call-arg]


def code_of(codec: TokenCodec, token: str) -> str:
    with pytest.raises(AuthError) as info:
        codec.decode(token)
    assert info.value.invalid_token
    return info.value.code


def test_round_trip() -> None:
    codec = TokenCodec(hs_settings())
    token, issued = codec.issue(
        user_id=42, role=Role.ADMIN, family_id="f" * 32, session_stamp="s" * 32
    )
    decoded = codec.decode(token)
    assert decoded == issued
    assert decoded.user_id == 42
    assert decoded.role == "admin"


@pytest.mark.parametrize(
    ("make", "code"), [c[1:] for c in forge.TAMPERED], ids=[c[0] for c in forge.TAMPERED]
)
def test_tampered_tokens(make: forge.Maker, code: str) -> None:
    settings = hs_settings()
    assert code_of(TokenCodec(settings), make(settings, "1")) == code


def test_leeway_accepts_small_clock_skew() -> None:
    settings = hs_settings(jwt_leeway_seconds=30)
    token = forge.signed(settings, exp=int(time.time()) - 5)
    assert TokenCodec(settings).decode(token).user_id == 1
    assert code_of(TokenCodec(hs_settings(jwt_leeway_seconds=0)), token) == "token_expired"


@pytest.mark.parametrize(("kind", "alg"), [("rsa", "RS256"), ("ec", "ES256")])
def test_asymmetric_keys_from_files(tmp_path: Path, kind: str, alg: str) -> None:
    private, public, _ = write_keypair(tmp_path, kind)
    settings = Settings(
        _env_file=None, jwt_algorithm=alg, jwt_private_key_file=private, jwt_public_key_file=public
    )  # type: ignore[call-arg]
    codec = TokenCodec(settings)
    token, _ = codec.issue(user_id=7, role=Role.USER, family_id=None, session_stamp="x")
    assert codec.decode(token).user_id == 7


def test_hs_rs_algorithm_confusion_is_rejected(tmp_path: Path) -> None:
    # The classic attack: HMAC-sign with the server's *public* RSA key as the secret.
    private, public, public_pem = write_keypair(tmp_path, "rsa")
    settings = Settings(
        _env_file=None,
        jwt_algorithm="RS256",
        jwt_private_key_file=private,
        jwt_public_key_file=public,
    )  # type: ignore[call-arg]
    token = forge.hs256_with_key_bytes(settings, public_pem)
    assert code_of(TokenCodec(settings), token) == "token_algorithm_mismatch"


def test_rs_token_on_hs_server_is_rejected(tmp_path: Path) -> None:
    private, _, _ = write_keypair(tmp_path, "rsa")
    settings = hs_settings()
    token = forge.signed(settings, key=private.read_bytes(), algorithm="RS256")
    assert code_of(TokenCodec(settings), token) == "token_algorithm_mismatch"
