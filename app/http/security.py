"""Reading a request's credential: the CPU-only half of authentication.

The spec's `security` names, per operation, the schemes it accepts (`bearerAuth`, an
`Authorization: Bearer <JWT>`; `apiKeyAuth`, an `X-API-Key`); each is tried in the spec's
order, exactly as Connexion's security middleware did: the first scheme whose header is
present and valid wins; when none is present the request is refused with 401
`not_authenticated`, else with the most specific refusal. A bearer token's signature and
claims are verified here (on the event loop, no I/O); an API key's shape is checked.

A request carrying more than one credential is refused (`ambiguous_credentials`): an
`Authorization` header of any scheme or value (even an empty or malformed bearer token)
together with `X-API-Key`, or either header repeated. Otherwise it would act as whichever
credential happened to be accepted first, e.g. a valid key behind a rejected token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from connexion.exceptions import OAuthProblem
from starlette.datastructures import Headers

from app.accounts.models import Role
from app.errors import AuthenticationError

MAX_TOKEN_LENGTH = 8192
API_KEY_HEADER = "X-API-Key"
BEARER = "bearer"
API_KEY = "api_key"
# The spec's security scheme types, as this module reads them.
_SCHEME_TYPES = {("http", "bearer"): BEARER, ("apiKey", "header"): API_KEY}


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


@dataclass(frozen=True)
class BearerToken:
    """A bearer token whose signature and claims verified."""

    claims: Any  # the security domain's claims (`Claims` and what it needs beyond)


@dataclass(frozen=True)
class ApiKeyCredential:
    """An API key of the right shape (its row is read later)."""

    secret: str


Credential = BearerToken | ApiKeyCredential


def schemes_by_operation(
    operations: list[tuple[str, str, dict[str, Any]]], spec: Mapping[str, Any]
) -> dict[str, tuple[str, ...]]:
    """operationId -> the schemes it accepts, in the spec's order (secured operations only).
    Requirements that combine schemes, or schemes of other kinds, are a startup error."""
    declared = spec.get("components", {}).get("securitySchemes", {})
    table: dict[str, tuple[str, ...]] = {}
    for method, path, op in operations:
        security = op.get("security", spec.get("security", []))
        if not security or security == [{}]:
            continue
        schemes = []
        for requirement in security:
            if len(requirement) != 1:
                msg = f"{method.upper()} {path}: one scheme per security requirement"
                raise ValueError(msg)
            (name,) = requirement
            scheme = declared[name]
            kind = _SCHEME_TYPES.get((scheme["type"], scheme.get("scheme", scheme.get("in"))))
            if kind is None:
                msg = f"{method.upper()} {path}: unsupported security scheme {name!r}"
                raise ValueError(msg)
            schemes.append(kind)
        table[op["operationId"]] = tuple(schemes)
    return table


def _refuse_ambiguous(headers: Headers) -> None:
    if len(headers.getlist("Authorization")) + len(headers.getlist(API_KEY_HEADER)) > 1:
        raise AuthenticationError(
            "ambiguous_credentials",
            f"Send either 'Authorization: Bearer <token>' or '{API_KEY_HEADER}', not both.",
        )


@dataclass(frozen=True)
class CredentialReader:
    """The CPU checks of each scheme, bound to the security domain's token check and key
    shape (by the composition root)."""

    verify_access_token: Callable[[str], Any]
    looks_like_key: Callable[[str], bool]

    def read(self, headers: Headers, schemes: tuple[str, ...]) -> Credential:
        """The credential of the first scheme present and valid (see the module doc)."""
        errors: list[Exception] = []
        for scheme in schemes:
            try:
                found = self._bearer(headers) if scheme == BEARER else self._api_key(headers)
            except Exception as exc:
                errors.append(exc)
                continue
            if found is not None:
                return found
        if errors:
            raise _most_specific(errors)
        raise OAuthProblem(detail="No authorization token provided")

    def _bearer(self, headers: Headers) -> BearerToken | None:
        header = headers.get("Authorization")
        if header is None:
            return None
        _refuse_ambiguous(headers)
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return None  # another scheme: not ours to judge
        token = token.strip()
        if not token or " " in token or len(token) > MAX_TOKEN_LENGTH:
            raise AuthenticationError(
                "token_malformed", "Expected 'Authorization: Bearer <token>'."
            )
        return BearerToken(self.verify_access_token(token))

    def _api_key(self, headers: Headers) -> ApiKeyCredential | None:
        if headers.get(API_KEY_HEADER) is None:
            return None
        _refuse_ambiguous(headers)
        secret = headers.get(API_KEY_HEADER, "")
        if not self.looks_like_key(secret):
            raise AuthenticationError("api_key_invalid", "The API key is not valid.")
        return ApiKeyCredential(secret)


def _most_specific(errors: list[Exception]) -> Exception:
    """Connexion's rule: a 403, else a 401, else the lowest status (by the errors' own
    `status_code`/`status`; ours have neither, and the last one wins)."""
    by_status = {getattr(e, "status_code", getattr(e, "status", 600)): e for e in errors}
    for status in (403, 401):
        if status in by_status:
            return by_status[status]
    return by_status[min(by_status)]
