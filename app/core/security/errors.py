"""Authentication failures: 401 with a specific code and an RFC 6750 challenge."""

from __future__ import annotations

from app.core.errors import AppError

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


class AuthError(AppError):
    """401: the credentials are missing or not acceptable."""

    status = 401
    code = "not_authenticated"

    def __init__(self, code: str, detail: str, *, invalid_token: bool = True) -> None:
        header = challenge("invalid_token", detail) if invalid_token else challenge()
        super().__init__(detail, code=code, headers={"WWW-Authenticate": header})


class ForbiddenError(AppError):
    status = 403
    code = "forbidden"
