"""Forge JWTs the way an attacker would (tests only): any header, any key, no checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt

from app.settings import Settings


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "1",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": "j" * 32,
        "role": "user",
        "fam": None,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not ...}


def signed(settings: Settings, key: Any = None, algorithm: str = "HS256", **overrides: Any) -> str:
    key = key if key is not None else settings.jwt_secret.get_secret_value()
    return jwt.encode(claims(settings, **overrides), key, algorithm=algorithm)


def unsigned(settings: Settings, **overrides: Any) -> str:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims(settings, **overrides)).encode())}."


def hs256_with_key_bytes(settings: Settings, key: bytes, **overrides: Any) -> str:
    """HS256 signed with arbitrary bytes (e.g. an RSA public key PEM): algorithm confusion."""
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims(settings, **overrides)).encode())
    sig = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(sig)}"
