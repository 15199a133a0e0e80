"""Credential checks that Connexion's security middleware runs, bound to the auth service.

Connexion calls these on the event loop, so they do CPU work only: a bearer token's
signature and claims are verified here (its role feeds the early RBAC check), an API key's
shape is checked. The I/O half of authentication (revocation, the account, an API key's
row) runs in the request's Flask thread inside its unit of work (`app.http.handler_context`): no
extra thread hop, and the user is loaded once.

A request carrying more than one credential is refused (`ambiguous_credentials`): an
`Authorization` header of any scheme or value (even an empty or malformed bearer token)
together with `X-API-Key`, or either header repeated. Otherwise it would act as whichever
credential happened to be accepted first, e.g. a valid key behind a rejected token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, cast

from connexion.security import NO_VALUE

from app.accounts.models import Role
from app.errors import AuthenticationError
from app.http import connexion_compat

MAX_TOKEN_LENGTH = 8192
API_KEY_HEADER = "X-API-Key"


class Claims(Protocol):
    """A verified access token's claims, as far as the plumbing reads them."""

    @property
    def user_id(self) -> int: ...

    @property
    def role(self) -> Role: ...


class KeyOwner(Protocol):
    """Who a usable API key acts for."""

    @property
    def user_id(self) -> int: ...

    @property
    def role(self) -> str: ...


class KeyOwners(Protocol):
    """API-key owners, remembered briefly (`app.auth.key_owners`): for the checks that run
    before the request reaches Flask (the early role check, the rate limit)."""

    def owner(self, secret: str, *, fresh: bool = False) -> Awaitable[KeyOwner | None]: ...


def _refuse_ambiguous(headers: Any) -> None:
    """`headers` is Starlette's multi-valued `Headers` (case-insensitive names)."""
    if len(headers.getlist("Authorization")) + len(headers.getlist(API_KEY_HEADER)) > 1:
        raise AuthenticationError(
            "ambiguous_credentials",
            f"Send either 'Authorization: Bearer <token>' or '{API_KEY_HEADER}', not both.",
        )


def claims_of(token_info: dict[str, Any]) -> Claims | None:
    """The claims `bearer` below put there (the security domain's type)."""
    claims = token_info.get("claims")
    return cast(Claims, claims) if claims is not None else None


def api_key_of(token_info: dict[str, Any]) -> str | None:
    key = token_info.get("api_key")
    return key if isinstance(key, str) else None


def security_map(
    verify_access_token: Callable[[str], Claims], looks_like_key: Callable[[str], bool]
) -> dict[str, type]:
    """Connexion's `security_map` for the spec's `bearerAuth` and `apiKeyAuth` schemes,
    bound to the security domain's token check and key shape (by the composition root)."""

    def bearer(request: Any) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return NO_VALUE
        _refuse_ambiguous(request.headers)
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return NO_VALUE  # another scheme: not ours to judge
        token = token.strip()
        if not token or " " in token or len(token) > MAX_TOKEN_LENGTH:
            raise AuthenticationError(
                "token_malformed", "Expected 'Authorization: Bearer <token>'."
            )
        claims = verify_access_token(token)
        return {"sub": str(claims.user_id), "role": claims.role.value, "claims": claims}

    def api_key(request: Any) -> Any:
        _refuse_ambiguous(request.headers)
        secret = request.headers.get(API_KEY_HEADER, "")
        if not looks_like_key(secret):
            raise AuthenticationError("api_key_invalid", "The API key is not valid.")
        # The role is known only once the key's row is read (in the Flask thread).
        return {"sub": None, "role": None, "api_key": secret}

    return connexion_compat.security_map(bearer=bearer, api_key=api_key)
