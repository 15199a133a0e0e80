"""The admission pass: one middleware, right after Connexion's routing and before its
request validation, deciding whether a routed request may go on, in this order:

1. authentication and the early role check (`app.http.auth_pipeline`): 401, then 403;
2. the rate limit (`app.http.rate_limiting`): 429 (or 503 when the storage is down and
   the limiter fails closed);
3. the API version (`app.http.api_versions`): 400 `unsupported_api_version`.

Routing answered 404/405 before this; validation (400/415/422) comes after it. Requests
that matched no operation (the docs, unknown paths) pass through untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.http.api_versions import ApiVersions, refuse_unserved
from app.http.auth_pipeline import AuthPipeline
from app.http.connexion_compat import operation_id
from app.http.rate_limiting import count
from app.infra.rate_limiter import RateLimiter


class AdmissionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        pipeline: AuthPipeline,
        limiter: RateLimiter,
        versions: ApiVersions,
    ) -> None:
        self.app = app
        self.pipeline = pipeline
        self.limiter = limiter
        self.versions = versions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        op = operation_id(scope) if scope["type"] == "http" else None
        if op is not None:
            admission = await self.pipeline.admit(scope, op)
            if self.limiter.enabled:
                tier, key = await self.pipeline.rate_identity(scope, admission)
                await count(self.limiter, scope, op, tier, key)
            if await refuse_unserved(self.versions, scope, send):
                return
        await self.app(scope, receive, send)
