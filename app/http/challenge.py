"""The RFC 6750 `WWW-Authenticate` challenge every 401 carries."""

from __future__ import annotations

REALM = "api"


def challenge(error: str | None = None, description: str | None = None) -> str:
    """The `WWW-Authenticate` value; `error` is an RFC 6750 error code."""
    parts = [f'Bearer realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        safe = description.replace('"', "'").replace("\\", "/")
        parts.append(f'error_description="{safe}"')
    return ", ".join(parts)
