"""Request ids: accept a well-formed incoming `X-Request-ID`, otherwise generate one."""

from __future__ import annotations

import re
import uuid

HEADER = "X-Request-ID"
MAX_LENGTH = 128
_SAFE = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_LENGTH}}}")


def accept_or_generate(raw: str | None) -> str:
    """Return `raw` if it is a safe token (bounded length, no spaces or control chars)."""
    if raw is not None and _SAFE.fullmatch(raw):
        return raw
    return uuid.uuid4().hex
