"""Rate limits declared in the spec (`x-rate-limit`), enforced in ASGI middleware.

`RateLimitMiddleware` runs right after authentication and the early role check, before
request validation and the handler: the caller is known from the token (or the API key's
owner), so a request is counted once and a refused one costs no validation or thread.
Keys: `user:<id>` for a verified, unrevoked credential (API keys share their owner's
budget), else `ip:<address>`, the client address the server resolved (X-Forwarded-For only
from TRUSTED_PROXIES, app/serving). Tier: the caller's role, or `anonymous`. A bearer
token's signature and claims were checked by the security middleware; its revocation (by
jti, login family or ended session) is checked here in the revocation store (Redis or
memory, no database), so a logged-out or otherwise revoked token spends its client
address's budget, never its owner's. When the store cannot answer, the caller counts as
its address too.

`RateLimitHeadersMiddleware` sits outside Connexion's exception middleware, so every
response of a limited operation carries X-RateLimit-* — successes and the problems raised
after the limiter ran (validation, 404s, the 429 itself) alike. A response that already
carries them (the login lockout's 429) keeps its own.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.contract.rate_limit_table import ANONYMOUS
from app.errors import RateLimiterUnavailableError, TooManyAttemptsError
from app.http import connexion_compat
from app.http.problems import rate_limit_headers
from app.http.security import Claims, KeyOwners, api_key_of, claims_of
from app.infra.metrics import RATE_LIMITED
from app.infra.rate_limiter import STORAGE_ERRORS, Decision, RateLimiter

_STATE = "app.rate_limit"  # scope key of the per-request holder
_LIMIT_HEADER = b"x-ratelimit-limit"


@dataclass
class _State:
    decision: Decision | None = None


class RateLimitHeadersMiddleware:
    """Adds the X-RateLimit-* headers the inner middleware decided on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope[_STATE] = _State()

        async def send_with_headers(message: Message) -> None:
            decision = state.decision
            if message["type"] == "http.response.start" and decision is not None:
                headers = list(message.get("headers", []))
                if all(name.lower() != _LIMIT_HEADER for name, _ in headers):
                    extra = rate_limit_headers(
                        decision.limit, decision.remaining, decision.reset_after
                    )
                    headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimitMiddleware:
    """429 `rate_limited` (with Retry-After) once the caller's budget is spent."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        owners: KeyOwners,
        revoked: Callable[[Claims], Awaitable[bool]],
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.owners = owners
        self.revoked = revoked  # the token's session (or the user's) was revoked

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.limiter.enabled:
            op = connexion_compat.operation_id(scope)
            if op is not None:
                await self._count(scope, op)
        await self.app(scope, receive, send)

    async def _count(self, scope: Scope, operation_id: str) -> None:
        tier, key = await self._caller(scope)
        limit = self.limiter.limit_for(operation_id, tier)
        if limit is None:
            return
        decision = await self.limiter.hit(limit, key)
        if decision is None:  # storage down (logged by the limiter)
            if self.limiter.fail_open:
                return
            raise RateLimiterUnavailableError(
                "Rate limiting is unavailable; retry later.",
                retry_after=math.ceil(self.limiter.retry_seconds),
            )
        state = scope.get(_STATE)
        if isinstance(state, _State):
            state.decision = decision
        if not decision.allowed:
            RATE_LIMITED.labels(limit.bucket).inc()
            retry_after = max(1, decision.reset_after)
            raise TooManyAttemptsError(
                f"Rate limit exceeded; retry in {retry_after} seconds.",
                code="rate_limited",
                retry_after=retry_after,
                limit=decision.limit,
            )

    async def _caller(self, scope: Scope) -> tuple[str, str]:
        """(tier, key): the role and user id of a valid credential, else `anonymous` and
        the address."""
        info = connexion_compat.token_info(scope)
        try:
            verified = await self._principal(info) if info is not None else None
        except STORAGE_ERRORS:
            verified = None  # revocation unknown: not trusted as the user
        if verified is not None:
            return verified
        client = scope.get("client")
        return ANONYMOUS, f"ip:{client[0] if client else 'unknown'}"

    async def _principal(self, info: dict[str, Any]) -> tuple[str, str] | None:
        claims = claims_of(info)
        if claims is not None:
            if await self.revoked(claims):
                return None
            return claims.role.value, f"user:{claims.user_id}"
        secret = api_key_of(info)
        owner = await self.owners.owner(secret) if secret is not None else None
        return (owner.role, f"user:{owner.user_id}") if owner is not None else None
