"""The ASGI middleware stack, outermost first: our passes around Connexion's own.

1. `EdgeMiddleware` (`app.http.edge`): request id, access log, last-resort 500, response
   policy, metrics and `/metrics`, API version and rate-limit headers, on every response;
2. development aids when configured (`DebugMiddleware`: bodies logged, requests profiled);
3. the entry points the composition root adds (the MCP mount, whose tool calls come back in
   at the top, and the OpenAI-compatible endpoint's key and error translation);
4. Connexion: its server-error and exception middlewares (the error handlers), then our
   body limit (inside the exception middleware, so its errors render as problems), its
   router (made safe, `SafeRoutingMiddleware`), Swagger UI only for unmatched paths, then
   `AdmissionMiddleware` (`app.http.admission`) in place of Connexion's security middleware
   (authentication, roles, rate limit, API version, in that order), then its validation;
5. the event-stream operations, served last, once routed, admitted and validated.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware

from app.http.admission import AdmissionMiddleware
from app.http.api_versions import ApiVersions
from app.http.auth_pipeline import AuthPipeline
from app.http.body_limit import BodySizeLimitMiddleware
from app.http.connexion_compat import RoutedRequestsSkipSwaggerUI, SafeRoutingMiddleware
from app.http.debugging import DebugMiddleware
from app.http.edge import EdgeMiddleware
from app.infra.rate_limiter import RateLimiter


def middlewares(
    *,
    versions: ApiVersions,
    docs_prefix: str,
    metrics_token: str | None,
    unversioned: Sequence[str],
    max_body_bytes: int,
    pipeline: AuthPipeline,
    limiter: RateLimiter,
    entry_points: Sequence[Any],
    streams: Any,  # the EventStreamMiddleware, its options bound
    debug: tuple[bool, float, Path] | None = None,  # log bodies, profile share, profile dir
) -> list[Any]:
    stack: list[Any] = list(ConnexionMiddleware.default_middlewares)
    stack[stack.index(RoutingMiddleware)] = SafeRoutingMiddleware
    # Swagger UI after routing, skipped by every request that matched an operation.
    stack.remove(SwaggerUIMiddleware)
    stack.insert(stack.index(SafeRoutingMiddleware) + 1, RoutedRequestsSkipSwaggerUI)
    stack[stack.index(SecurityMiddleware)] = partial(
        AdmissionMiddleware, pipeline=pipeline, limiter=limiter, versions=versions
    )
    stack.insert(
        stack.index(ExceptionMiddleware) + 1,
        partial(BodySizeLimitMiddleware, max_body_bytes=max_body_bytes),
    )
    # Development aids, only when configured (no pass over requests otherwise).
    debugging = (
        [
            partial(
                DebugMiddleware,
                log_bodies=debug[0],
                profile_share=debug[1],
                profile_dir=debug[2],
            )
        ]
        if debug is not None
        else []
    )
    edge = partial(
        EdgeMiddleware,
        versions=versions,
        docs_prefix=docs_prefix,
        metrics_token=metrics_token,
        unversioned=unversioned,
    )
    return [edge, *debugging, *entry_points, *stack, streams]
