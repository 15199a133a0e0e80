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

from typing import Any

from connexion.security import NO_VALUE

from app.auth.api_keys import looks_like_key
from app.auth.service import AuthService
from app.auth.tokens import AccessClaims
from app.errors import AuthenticationError
from app.http import connexion_compat

MAX_TOKEN_LENGTH = 8192
API_KEY_HEADER = "X-API-Key"


def _refuse_ambiguous(headers: Any) -> None:
    """`headers` is Starlette's multi-valued `Headers` (case-insensitive names)."""
    if len(headers.getlist("Authorization")) + len(headers.getlist(API_KEY_HEADER)) > 1:
        raise AuthenticationError(
            "ambiguous_credentials",
            f"Send either 'Authorization: Bearer <token>' or '{API_KEY_HEADER}', not both.",
        )


def claims_of(token_info: dict[str, Any]) -> AccessClaims | None:
    claims = token_info.get("claims")
    return claims if isinstance(claims, AccessClaims) else None


def api_key_of(token_info: dict[str, Any]) -> str | None:
    key = token_info.get("api_key")
    return key if isinstance(key, str) else None


def security_map(auth: AuthService) -> dict[str, type]:
    """Connexion's `security_map` for the spec's `bearerAuth` and `apiKeyAuth` schemes."""

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
        claims = auth.verify_access_token(token)
        return {"sub": str(claims.user_id), "role": claims.role.value, "claims": claims}

    def api_key(request: Any) -> Any:
        _refuse_ambiguous(request.headers)
        secret = request.headers.get(API_KEY_HEADER, "")
        if not looks_like_key(secret):
            raise AuthenticationError("api_key_invalid", "The API key is not valid.")
        # The role is known only once the key's row is read (in the Flask thread).
        return {"sub": None, "role": None, "api_key": secret}

    return connexion_compat.security_map(bearer=bearer, api_key=api_key)
