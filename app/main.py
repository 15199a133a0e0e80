"""Composition root and ASGI entry point.

    uvicorn --factory app.main:create_app      # ASGI (what `make run` does, via `python -m app`)

`create_app(settings)` wires settings, clients and services (`app.wiring`) into Connexion
and returns a `connexion.FlaskApp`; its `.app` is the Flask app (for the CLI and tests).
This module may import anything; nothing imports it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, NoReturn

import anyio.to_thread
import connexion
import flask
import starlette.exceptions
import werkzeug.exceptions
from a2wsgi import ASGIMiddleware
from connexion.jsonifier import Jsonifier
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from pydantic import SecretStr

from app.auth import api_keys
from app.auth.key_owners import ApiKeyOwners
from app.auth.tokens import AccessClaims
from app.cli import register_cli
from app.container import ASGI_APP_KEY, EXTENSION_KEY, Services
from app.contract.problem_types import catalogue
from app.contract.roles import RoleTable
from app.contract.routing import TagResolver, coroutine_handlers
from app.contract.spec import base_path, load_spec, role_table
from app.http import error_handlers, handler_context
from app.http.api_versions import ApiVersionCheck, ApiVersionMiddleware, ApiVersions
from app.http.authorization import RoleMiddleware
from app.http.body_limit import BodySizeLimitMiddleware
from app.http.caller import CallerChecks
from app.http.connexion_compat import (
    RoutedRequestsSkipSwaggerUI,
    SafeRoutingMiddleware,
    cache_handler_wrappers,
    routed_by_connexion,
    set_wsgi_threads,
    validator_map,
)
from app.http.debugging import DebugMiddleware
from app.http.docs_routes import register_docs_routes, swagger_ui_options
from app.http.event_streams import (
    SHUTDOWN_KEY,
    EventStreamMiddleware,
    ServerShutdown,
    settle_streams,
)
from app.http.metrics import MetricsMiddleware
from app.http.outermost import OutermostMiddleware
from app.http.problems import configure_types
from app.http.rate_limit_middleware import RateLimitHeadersMiddleware, RateLimitMiddleware
from app.http.request_id import HEADER as REQUEST_ID_HEADER
from app.http.response_policy import PRIVATE_HEADERS, ResponsePolicyMiddleware, has_credentials
from app.http.security import security_map
from app.infra import tracing
from app.infra.logging import configure_logging
from app.mcp.dispatch import Dispatcher
from app.mcp.server import McpEndpoint, McpMountMiddleware
from app.mcp.tools import build_tools
from app.openai.middleware import OpenAICompatMiddleware
from app.settings import Settings, load_settings
from app.wiring import build_services, registry_of

# Shutdown: seconds cancelled streams get to record their usage (within the 3 s the
# gunicorn worker leaves for the app's shutdown, app/serving/worker.py).
STREAM_SETTLE_S = 2.0
# Probes and scrapes make no traces (they would drown the requests that matter).
TRACE_EXCLUDED = "/metrics,/api/v1/health/live"


def _middlewares(
    settings: Settings,
    api_version: str,
    roles: RoleTable,
    docs_prefix: str,
    streams: Any,  # the EventStreamMiddleware, its options bound
    *,
    services: Services,
    mcp: McpEndpoint,
    base_path_: str,
) -> list[Any]:
    """Connexion's stack, wrapped by the response policy, the outermost middleware (request
    id, access log), the metrics (which serve `/metrics`) and the API version headers, with
    the body limit just inside the exception middleware (so its errors render as
    problems), role checks right after
    authentication, then the rate limit (its headers are added outside the exception
    middleware, so error responses carry them too), the API version check just before
    request validation, and the event-stream operations served last, once Connexion has
    routed, authenticated and validated them."""
    stack: list[Any] = list(ConnexionMiddleware.default_middlewares)
    stack[stack.index(RoutingMiddleware)] = SafeRoutingMiddleware
    # Swagger UI after routing, skipped by every request that matched an operation.
    stack.remove(SwaggerUIMiddleware)
    stack.insert(stack.index(SafeRoutingMiddleware) + 1, RoutedRequestsSkipSwaggerUI)
    # One cache of API-key owners for both checks (role and rate limit).
    owners = ApiKeyOwners(services.db, services.auth.revocations)
    stack.insert(
        stack.index(SecurityMiddleware) + 1, partial(RoleMiddleware, roles=roles, owners=owners)
    )
    stack.insert(
        stack.index(ExceptionMiddleware) + 1,
        partial(BodySizeLimitMiddleware, max_body_bytes=settings.api.max_body_bytes),
    )
    stack.insert(
        stack.index(SecurityMiddleware) + 2,
        partial(
            RateLimitMiddleware,
            limiter=services.rate_limiter,
            owners=owners,
            revoked=partial(_revoked, services),
        ),
    )
    stack.insert(stack.index(ExceptionMiddleware), RateLimitHeadersMiddleware)
    # The version after routing (404, 405) and authentication (401, 403, 429), before
    # validation; its headers are stamped outermost, on every response.
    versions = _api_versions(settings, api_version)
    stack.insert(
        stack.index(RequestValidationMiddleware), partial(ApiVersionCheck, versions=versions)
    )
    # Development aids, only when configured (no pass over requests otherwise).
    debugging = (
        [
            partial(
                DebugMiddleware,
                log_bodies=settings.observability.log_request_bodies,
                profile_share=settings.observability.profile_requests,
                profile_dir=settings.observability.profile_dir,
            )
        ]
        if settings.observability.log_request_bodies or settings.observability.profile_requests
        else []
    )
    return [
        partial(ResponsePolicyMiddleware, docs_prefix=docs_prefix),
        partial(OutermostMiddleware, api_version=api_version),
        *debugging,
        partial(MetricsMiddleware, token=_secret(settings.observability.metrics_token)),
        partial(McpMountMiddleware, endpoint=mcp),  # /mcp: tool calls come back in at the top
        partial(OpenAICompatMiddleware, prefix=base_path_),  # OpenAI clients' key and errors
        partial(ApiVersionMiddleware, versions=versions),
        *stack,
        streams,
    ]


async def _revoked(services: Services, claims: AccessClaims) -> bool:
    """A bearer token's session (or every session of its user) was revoked."""
    keys = services.auth.revocation_keys(claims)
    return await services.auth.revocations.any_revoked_async(*keys)


def _caller_checks(services: Services, roles: RoleTable) -> CallerChecks:
    """The I/O half of authentication (the security domain's), for the HTTP plumbing."""
    return CallerChecks(
        bearer=services.auth.authenticate_bearer,
        api_key=api_keys.authenticate_api_key,
        roles=roles,
    )


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _api_versions(settings: Settings, latest: str) -> ApiVersions:
    return ApiVersions(
        latest=latest,
        supported=tuple(v for v in settings.api.supported_versions.split(",") if v),
        deprecated=settings.api.deprecated_versions,
        deprecation_url=settings.api.deprecation_url,
    )


def _reraise_http_exception(exc: werkzeug.exceptions.HTTPException) -> NoReturn:
    """Flask-side HTTP errors go to the ASGI error handlers, keeping headers such as Allow."""
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    raise starlette.exceptions.HTTPException(exc.code or 500, exc.description, headers)


def _only_routed_operations() -> None:
    """Flask runs an operation's view only for a request Connexion routed to it (and so
    validated and authenticated), and serves no path Werkzeug matched only after dropping
    its leading slashes (`//openapi.json`): any such request is a 404."""
    stray = flask.request.blueprint is not None and not routed_by_connexion()
    if stray or flask.request.environ.get("PATH_INFO", "").startswith("//"):
        raise werkzeug.exceptions.NotFound()


def _stamp_headers(response: flask.Response, *, api_version: str) -> flask.Response:
    """Set the spec's required response headers where Connexion's response validation
    sees them (the outer middleware adds them again to responses that never reach Flask)."""
    response.headers[REQUEST_ID_HEADER] = flask.request.headers.get(REQUEST_ID_HEADER, "")
    response.headers["API-Version"] = api_version
    if has_credentials(flask.request.headers):
        response.headers.update(PRIVATE_HEADERS)
    return response


def create_app(settings: Settings | None = None) -> connexion.FlaskApp:
    """Build the app. With no settings, read them from the environment."""
    settings = settings or load_settings()
    configure_logging(settings.observability.log_level, json_logs=settings.observability.log_json)
    spec = load_spec()  # bundled and parsed once; everything below reads this one dict
    api_version = str(spec["info"]["version"])
    # Each problem code's status, title and type URI, from the spec's catalogue.
    configure_types(settings.api.problem_type_base_url, catalogue(spec))
    # Before any client exists: Redis and httpx clients are instrumented as created.
    traced = tracing.install()  # off unless OTEL_EXPORTER_OTLP_ENDPOINT (or ..._EXPORTER)
    services = build_services(settings, spec)
    registry = registry_of(services)
    roles = role_table(spec)
    checks = _caller_checks(services, roles)
    resolver = TagResolver(spec)
    shutdown = ServerShutdown()  # the gunicorn worker calls begin() as it stops accepting
    # MCP tool calls are requests sent through this whole app (bound once it exists).
    dispatcher = Dispatcher(base_path(spec))
    mcp = McpEndpoint(build_tools(spec, roles), dispatcher, version=api_version)
    streams = partial(
        EventStreamMiddleware,
        handlers=coroutine_handlers(spec, resolver),
        registry=registry,
        unit_of_work=services.db.unit_of_work,
        checks=checks,
        slots=services.streams,
        user_slots=services.user_streams,
        heartbeat_s=settings.ai.stream_heartbeat_s,
        api_version=api_version,
        shutdown=shutdown,
    )

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        # Threads the event loop may lend out (e.g. file responses): as many as requests.
        anyio.to_thread.current_default_thread_limiter().total_tokens = (
            settings.serving.wsgi_threads
        )
        # In-process jobs: the reaper's first pass resends jobs queued before a restart.
        services.jobs.start()
        async with mcp.running():
            yield
        await settle_streams(services.streams, STREAM_SETTLE_S)
        services.close()

    middlewares = _middlewares(
        settings,
        api_version,
        roles,
        f"{base_path(spec)}/docs",
        streams,
        services=services,
        mcp=mcp,
        base_path_=base_path(spec),
    )
    if traced:  # one trace per request, its server span outermost; SQL spans inside it
        tracing.trace_engine(services.db.engine)
        middlewares.insert(0, partial(OpenTelemetryMiddleware, excluded_urls=TRACE_EXCLUDED))
    app = connexion.FlaskApp(
        __name__,
        middlewares=middlewares,
        # Flask serves no static files; every route it has is declared below or in the spec.
        server_args={"static_folder": None},
        security_map=security_map(services.auth.verify_access_token, api_keys.looks_like_key),
        lifespan=lifespan,
        jsonifier=Jsonifier(separators=(",", ":"))
        if settings.api.compact_json
        else Jsonifier(indent=2),
        swagger_ui_options=swagger_ui_options(spec),
        validator_map=validator_map(),
        strict_validation=True,
        validate_responses=settings.env != "production",
    )
    cache_handler_wrappers(app)
    dispatcher.bind(app)
    app.add_api(spec, resolver=resolver)
    error_handlers.register(app, spec)

    flask_app = app.app
    # Connexion's router does not merge slashes; Flask must not either, or `/api/v1//users`
    # would match in Flask (a redirect, or an operation Connexion never routed).
    flask_app.url_map.merge_slashes = False
    flask_app.before_request(_only_routed_operations)
    flask_app.extensions[EXTENSION_KEY] = services
    flask_app.extensions[ASGI_APP_KEY] = app
    flask_app.extensions[SHUTDOWN_KEY] = shutdown
    handler_context.install(flask_app, registry, services.db.unit_of_work, checks)
    flask_app.register_error_handler(werkzeug.exceptions.HTTPException, _reraise_http_exception)
    flask_app.after_request(partial(_stamp_headers, api_version=api_version))
    register_docs_routes(flask_app, spec, base_path(spec))
    register_cli(flask_app)

    set_wsgi_threads(app, settings.serving.wsgi_threads)
    return app


def create_flask_app() -> flask.Flask:
    """The Flask app for the Flask CLI (`FLASK_APP` in .flaskenv).

    `flask run` serves this app with Werkzeug's WSGI server; calls go through the whole
    ASGI stack (Connexion's routing, validation and security), bridged by a2wsgi, so it
    behaves like `make run` (which is what to use: uvicorn, proxy settings, reload).
    """
    app = create_app()
    flask_app: flask.Flask = app.app
    flask_app.wsgi_app = ASGIMiddleware(app)  # type: ignore[method-assign,assignment]
    return flask_app
