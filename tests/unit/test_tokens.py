"""Every way an access token can be wrong maps to its own 401 code."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest
from jwt.algorithms import HMACAlgorithm
from pydantic import ValidationError

from app.accounts.models import Role
from app.auth.tokens import TokenCodec, _CheckedSecretHMAC
from app.errors import AuthenticationError as AuthError
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


def test_hs_secret_is_checked_once_not_per_token(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyJWT's own HMAC key check (JSON, PEM, SSH, DER probes) costs ~5% of a request; the
    # codec runs it once at construction. Counting the library's check catches a PyJWT
    # upgrade that stops routing through the codec's own algorithm (`PyJWT._jws`).
    calls = 0
    original = HMACAlgorithm.prepare_key

    def counting(self: HMACAlgorithm, key: str | bytes) -> bytes:
        nonlocal calls
        calls += 1
        return original(self, key)

    monkeypatch.setattr(HMACAlgorithm, "prepare_key", counting)
    codec = TokenCodec(hs_settings())
    assert calls == 1
    for user_id in range(1, 11):
        token, _ = codec.issue(user_id=user_id, role=Role.USER, family_id=None, session_stamp="x")
        assert codec.decode(token).user_id == user_id
    assert calls == 1
    # Control: the module-wide PyJWT (what the codec used before) checks on every call.
    jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_aud": False})
    assert calls == 2


def test_checked_secret_still_checks_any_other_key(tmp_path: Path) -> None:
    _, _, public_pem = write_keypair(tmp_path, "rsa")
    hmac = _CheckedSecretHMAC(SECRET)
    assert hmac.prepare_key(hmac.secret) is hmac.secret
    with pytest.raises(jwt.InvalidKeyError):
        hmac.prepare_key(public_pem)  # the HS/RS confusion guard still applies


def test_codec_uses_its_own_pyjwt_not_the_module_wide_one() -> None:
    codec = TokenCodec(hs_settings())
    token, _ = codec.issue(user_id=3, role=Role.USER, family_id=None, session_stamp="x")
    assert jwt.api_jws._jws_global_obj.get_algorithm_by_name("HS256") is not None
    assert type(jwt.api_jws._jws_global_obj.get_algorithm_by_name("HS256")) is HMACAlgorithm
    assert codec.decode(token).user_id == 3


@pytest.mark.parametrize("which", ["jwt_private_key_file", "jwt_public_key_file"])
def test_unusable_key_file_is_a_configuration_error(tmp_path: Path, which: str) -> None:
    private, public, _ = write_keypair(tmp_path, "rsa")
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")
    files = {"jwt_private_key_file": private, "jwt_public_key_file": public, which: broken}
    with pytest.raises(ValidationError) as info:
        Settings(_env_file=None, jwt_algorithm="RS256", **files)  # type: ignore[call-arg]
    assert f"{which.upper()} is not a usable RS256 key in PEM form" in str(info.value)
