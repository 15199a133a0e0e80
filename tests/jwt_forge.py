"""Forge JWTs the way an attacker would (tests only): any header, any key, no checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import jwt

from app.settings import Settings


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": settings.auth.jwt_issuer,
        "aud": settings.auth.jwt_audience,
        "sub": "1",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": "j" * 32,
        "role": "user",
        "fam": None,
        "sst": "0" * 32,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not ...}


def signed(settings: Settings, key: Any = None, algorithm: str = "HS256", **overrides: Any) -> str:
    key = key if key is not None else settings.auth.jwt_secret.get_secret_value()
    return jwt.encode(claims(settings, **overrides), key, algorithm=algorithm)


def unsigned(settings: Settings, **overrides: Any) -> str:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims(settings, **overrides)).encode())}."


def with_header(settings: Settings, header: dict[str, Any], **overrides: Any) -> str:
    """HS256 with the right key but an arbitrary header (e.g. `crit`, a non-string `kid`)."""
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", **header}).encode())
    payload = b64(json.dumps(claims(settings, **overrides)).encode())
    key = settings.auth.jwt_secret.get_secret_value().encode()
    sig = hmac.new(key, f"{head}.{payload}".encode(), hashlib.sha256).digest()
    return f"{head}.{payload}.{b64(sig)}"


def hs256_with_key_bytes(settings: Settings, key: bytes, **overrides: Any) -> str:
    """HS256 signed with arbitrary bytes (e.g. an RSA public key PEM): algorithm confusion."""
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims(settings, **overrides)).encode())
    sig = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(sig)}"


Maker = Callable[[Settings, str], str]

# Tampered access tokens for user `sub`, with the 401 code each must produce. The unit
# tests feed them to TokenCodec, the API tests send them to a real endpoint.
TAMPERED: list[tuple[str, Maker, str]] = [
    ("alg-none", lambda s, sub: unsigned(s, sub=sub), "token_unsigned"),
    ("bad-signature", lambda s, sub: signed(s, key="k" * 40, sub=sub), "token_signature_invalid"),
    ("wrong-aud", lambda s, sub: signed(s, aud="other-api", sub=sub), "token_audience_invalid"),
    ("wrong-iss", lambda s, sub: signed(s, iss="evil", sub=sub), "token_issuer_invalid"),
    ("expired", lambda s, sub: signed(s, exp=int(time.time()) - 3600, sub=sub), "token_expired"),
    (
        "not-yet-valid",
        lambda s, sub: signed(s, nbf=int(time.time()) + 3600, sub=sub),
        "token_not_yet_valid",
    ),
    ("missing-sub", lambda s, sub: signed(s, sub=...), "token_claims_missing"),
    ("missing-jti", lambda s, sub: signed(s, jti=..., sub=sub), "token_claims_missing"),
    ("missing-role", lambda s, sub: signed(s, role=..., sub=sub), "token_claims_missing"),
    ("missing-exp", lambda s, sub: signed(s, exp=..., sub=sub), "token_claims_missing"),
    ("unknown-role", lambda s, sub: signed(s, role="superuser", sub=sub), "token_claims_missing"),
    ("non-numeric-sub", lambda s, sub: signed(s, sub="abc"), "token_claims_missing"),
    ("missing-sst", lambda s, sub: signed(s, sst=..., sub=sub), "token_claims_missing"),
    ("huge-sub", lambda s, sub: signed(s, sub="9" * 5000), "token_claims_missing"),
    ("unicode-digit-sub", lambda s, sub: signed(s, sub="\u0661"), "token_claims_missing"),
    # Correctly signed, but claims of the wrong type or shape (only a key holder can make
    # these; they must still be a 401, never a crash further down).
    (
        "role-list",
        lambda s, sub: with_header(s, {}, sub=sub, role=["admin"]),
        "token_claims_missing",
    ),
    ("jti-nul", lambda s, sub: with_header(s, {}, sub=sub, jti="\u0000"), "token_claims_missing"),
    (
        "fam-non-ascii",
        lambda s, sub: with_header(s, {}, sub=sub, fam="\u00e9"),
        "token_claims_missing",
    ),
    (
        "sst-non-ascii",
        lambda s, sub: with_header(s, {}, sub=sub, sst="\u00e9" * 32),
        "token_claims_missing",
    ),
    ("exp-huge", lambda s, sub: with_header(s, {}, sub=sub, exp=2**70), "token_claims_missing"),
    (
        "exp-infinite",
        lambda s, sub: with_header(s, {}, sub=sub, exp=float("inf")),
        "token_malformed",
    ),
    ("crit-header", lambda s, sub: with_header(s, {"crit": ["exp"]}, sub=sub), "token_malformed"),
    ("int-kid", lambda s, sub: with_header(s, {"kid": 7}, sub=sub), "token_malformed"),
    ("no-alg", lambda s, sub: with_header(s, {"alg": None}, sub=sub), "token_malformed"),
    ("header-not-object", lambda s, sub: f"{b64(b'[1]')}.{b64(b'{}')}.x", "token_malformed"),
    ("nul-in-token", lambda s, sub: "a\u0000b.c.d", "token_malformed"),
    ("garbage", lambda s, sub: "not-a-jwt", "token_malformed"),
    ("two-parts", lambda s, sub: "abc.def", "token_malformed"),
    ("three-garbage-parts", lambda s, sub: "a.b.c", "token_malformed"),
    (
        "other-hmac-alg",
        lambda s, sub: signed(
            s, algorithm="HS512", key=s.auth.jwt_secret.get_secret_value() * 2, sub=sub
        ),
        "token_algorithm_mismatch",
    ),
]
