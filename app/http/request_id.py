"""Request ids: accept a well-formed incoming `X-Request-ID`, otherwise generate one."""

from __future__ import annotations

import random
import re

HEADER = "X-Request-ID"
MAX_LENGTH = 128
_SAFE = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_LENGTH}}}")


def accept_or_generate(raw: str | None) -> str:
    """Return `raw` if it is a safe token (bounded length, no spaces or control chars)."""
    if raw is not None and _SAFE.fullmatch(raw):
        return raw
    # An id, not a secret: a fast PRNG is enough (uuid4 reads the OS entropy per request).
    return f"{random.getrandbits(128):032x}"
