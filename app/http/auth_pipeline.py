"""The one auth pipeline: every path into an operation (Flask, the event streams, the rate
limiter, MCP tool calls and the OpenAI-compatible endpoint, which both come back in through
the whole app) authenticates here, once per request.

1. `admit` (event loop, in the admission pass right after routing): the credential is read
   and verified (`app.http.security`, CPU only), a bearer token's revocation notices are
   read once (one `EXISTS`), an API key's owner is looked up in the short-lived owner cache
   when something needs it before Flask (the early role check, the rate limit), and the
   spec's `x-roles` are applied to the role known so far. What it learnt is an `Admission`
   carried in the ASGI scope (`ADMISSION_KEY`).
2. `rate_identity`: the rate limiter's key and tier from that admission, no second lookup.
3. `principal` (in the request's thread, inside its unit of work): the account half, the
   only database read (the account and its session stamp; an API key's row), refusing with
   the precise reason (`token_revoked`, `api_key_expired`, ...), then `x-roles` again on the
   account's role, definitively. The typed `Principal` is kept on the admission.

The order of refusals is the one the middleware stack had: 401 for a missing or invalid
credential, 403 for a role the token already names, 429, the API version, validation, then
what needs the database (a revoked token is refused after validation, as before). When the
revocation store cannot answer, the caller counts as its address for rate limiting and the
account step raises what the store raised (a 503).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers
from starlette.types import Scope

from app.accounts.principal import Principal
from app.contract.rate_limit_table import ANONYMOUS
from app.contract.roles import RoleTable, authorize
from app.errors import AuthenticationError, ForbiddenError
from app.http.security import (
    ApiKeyCredential,
    BearerToken,
    Credential,
    CredentialReader,
    KeyOwner,
    KeyOwners,
)
from app.infra.db import UnitOfWork
from app.infra.rate_limiter import STORAGE_ERRORS

# Scope key of the request's `Admission` (copies of the scope keep it).
ADMISSION_KEY = "app.admission"


@dataclass
class Admission:
    """What the pipeline learnt about one request's caller, found once."""

    credential: Credential
    revoked: bool = False  # the token itself (jti, family) is revoked: `token_revoked`
    session_revoked: bool = False  # any notice, ended sessions included: not the user's budget
    store_error: BaseException | None = None  # the revocation store could not answer
    owner: KeyOwner | None = None  # an API key's owner, once looked up
    owner_read: bool = False  # looked up (or failed): never a second time
    principal: Principal | None = None  # set by the account step


def admission_of(scope: Mapping[str, Any]) -> Admission | None:
    found = scope.get(ADMISSION_KEY)
    return found if isinstance(found, Admission) else None


@dataclass(frozen=True)
class AccountChecks:
    """The security domain's I/O checks (bound by the composition root): the notices that
    revoke a token, and each scheme's account step."""

    any_revoked: Callable[..., Awaitable[bool]]  # `any_revoked_async(*keys)`
    token_notices: Callable[[Any], list[str]]  # jti, family: refused as `token_revoked`
    session_notices: Callable[[Any], list[str]]  # those and the ended session's stamp
    bearer_account: Callable[[UnitOfWork, Any], Principal]
    api_key_account: Callable[[UnitOfWork, str], Principal]


class AuthPipeline:
    def __init__(
        self,
        *,
        reader: CredentialReader,
        checks: AccountChecks,
        owners: KeyOwners,
        roles: RoleTable,
        schemes: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.reader = reader
        self.checks = checks
        self.owners = owners
        self.roles = roles
        self.schemes = dict(schemes)

    # 1. On the event loop -----------------------------------------------------------------
    async def admit(self, scope: Scope, operation_id: str) -> Admission | None:
        """Authenticate a routed request (401) and check the role known so far (403);
        None for an operation without security."""
        schemes = self.schemes.get(operation_id)
        admission = None
        if schemes:
            credential = self.reader.read(Headers(scope=scope), schemes)
            admission = scope[ADMISSION_KEY] = Admission(credential)
            if isinstance(credential, BearerToken):
                await self._read_notices(admission, credential.claims)
        if operation_id in self.roles:
            if admission is None:
                raise AuthenticationError(
                    "not_authenticated", "Credentials are required.", invalid_token=False
                )
            await self._authorize_early(operation_id, admission)
        return admission

    async def _read_notices(self, admission: Admission, claims: Any) -> None:
        try:
            if await self.checks.any_revoked(*self.checks.session_notices(claims)):
                admission.session_revoked = True
                # Rare: which notice? The token's own, or only its ended session's (which
                # the account step reports by the changed session stamp).
                admission.revoked = await self.checks.any_revoked(
                    *self.checks.token_notices(claims)
                )
        except STORAGE_ERRORS as exc:
            admission.store_error = exc

    async def _authorize_early(self, operation_id: str, admission: Admission) -> None:
        """A bearer token names its role: decided without I/O. An API key's role is its
        owner's (remembered for a minute; a refusal on a remembered role is read again, so
        a promoted owner is never refused on a stale one). A key that does not resolve, or
        cannot be checked, is left to the account step, which refuses it precisely."""
        credential = admission.credential
        if isinstance(credential, BearerToken):
            authorize(self.roles, operation_id, credential.claims.role.value)
            return
        owner = await self._owner(admission, credential)
        if owner is None:
            return
        try:
            authorize(self.roles, operation_id, owner.role)
        except ForbiddenError:
            admission.owner_read = False
            owner = await self._owner(admission, credential, fresh=True)
            if owner is not None:
                authorize(self.roles, operation_id, owner.role)

    async def _owner(
        self, admission: Admission, credential: ApiKeyCredential, *, fresh: bool = False
    ) -> KeyOwner | None:
        if not admission.owner_read:
            admission.owner_read = True
            try:
                admission.owner = await self.owners.owner(credential.secret, fresh=fresh)
            except STORAGE_ERRORS:
                admission.owner = None  # revocation unknown: not trusted as the owner
        return admission.owner

    # 2. The rate limiter's view -------------------------------------------------------------
    async def rate_identity(self, scope: Scope, admission: Admission | None) -> tuple[str, str]:
        """(tier, key): the role and user id of a valid, unrevoked credential (an API key
        counts as its owner), else `anonymous` and the client address."""
        if admission is not None:
            credential = admission.credential
            if isinstance(credential, BearerToken):
                if not admission.session_revoked and admission.store_error is None:
                    claims = credential.claims
                    return claims.role.value, f"user:{claims.user_id}"
            else:
                owner = await self._owner(admission, credential)
                if owner is not None:
                    return owner.role, f"user:{owner.user_id}"
        client = scope.get("client")
        return ANONYMOUS, f"ip:{client[0] if client else 'unknown'}"

    # 3. In the request's thread -------------------------------------------------------------
    def principal(
        self, uow: UnitOfWork, admission: Admission | None, operation_id: str | None
    ) -> Principal | None:
        """The caller, or None for an operation without security."""
        if admission is None:
            return None
        if admission.principal is not None:
            return admission.principal
        credential = admission.credential
        if isinstance(credential, BearerToken):
            if admission.store_error is not None:
                raise admission.store_error
            if admission.revoked:
                raise AuthenticationError("token_revoked", "The token has been revoked.")
            principal = self.checks.bearer_account(uow, credential.claims)
        else:
            principal = self.checks.api_key_account(uow, credential.secret)
        if operation_id is not None:
            authorize(self.roles, operation_id, principal.role)
        admission.principal = principal
        return principal
