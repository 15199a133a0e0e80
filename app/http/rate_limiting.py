"""Rate limits declared in the spec (`x-rate-limit`): counting a request, and the
X-RateLimit-* headers of its response.

`count` runs in the admission pass, right after authentication and the early role check,
before request validation and the handler: the caller is known from the auth pipeline (a
bearer token's claims, or an API key's owner), so a request is counted once and a refused
one costs no validation or thread. Keys: `user:<id>` for a verified, unrevoked credential
(API keys share their owner's budget), else `ip:<address>`, the client address the server
resolved (X-Forwarded-For only from TRUSTED_PROXIES, app/serving). Tier: the caller's role,
or `anonymous`. A logged-out or otherwise revoked token spends its client address's
budget, never its owner's; so does any caller while the revocation store cannot answer.

`with_headers` is applied by the edge pass, outside Connexion's exception middleware, so
every response of a limited operation carries X-RateLimit-* — successes and the problems
raised after the limiter ran (validation, 404s, the 429 itself) alike. A response that
already carries them (the login lockout's 429) keeps its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from starlette.types import Scope

from app.errors import RateLimiterUnavailableError, TooManyAttemptsError
from app.http.problems import rate_limit_headers
from app.infra.metrics import RATE_LIMITED
from app.infra.rate_limiter import Decision, RateLimiter

STATE_KEY = "app.rate_limit"  # scope key of the per-request holder
_LIMIT_HEADER = b"x-ratelimit-limit"


@dataclass
class RateLimitState:
    decision: Decision | None = None

    def with_headers(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """The response's headers with X-RateLimit-* added (unless it has its own)."""
        decision = self.decision
        if decision is None or any(name.lower() == _LIMIT_HEADER for name, _ in headers):
            return headers
        extra = rate_limit_headers(decision.limit, decision.remaining, decision.reset_after)
        return headers + [(k.lower().encode(), v.encode()) for k, v in extra.items()]


async def count(limiter: RateLimiter, scope: Scope, operation_id: str, tier: str, key: str) -> None:
    """Spend one request of the caller's budget: 429 `rate_limited` (with Retry-After) once
    it is spent, 503 when the storage is down and the limiter fails closed."""
    limit = limiter.limit_for(operation_id, tier)
    if limit is None:
        return
    decision = await limiter.hit(limit, key)
    if decision is None:  # storage down (logged by the limiter)
        if limiter.fail_open:
            return
        raise RateLimiterUnavailableError(
            "Rate limiting is unavailable; retry later.",
            retry_after=math.ceil(limiter.retry_seconds),
        )
    state = scope.get(STATE_KEY)
    if isinstance(state, RateLimitState):
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
