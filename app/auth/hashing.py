"""Hashes for high-entropy secrets (refresh tokens, API keys).

These secrets carry >= 256 random bits, so a fast hash already makes a leaked table useless;
a slow password hash would only add latency to every request that presents one.
"""

from __future__ import annotations

import hashlib


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
