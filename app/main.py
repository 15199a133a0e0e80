"""Composition root and ASGI entry point.

    uvicorn --factory app.main:create_app      # ASGI (what `make run` does, via `python -m app`)

`create_app(settings)` wires settings, clients and services (`app.wiring`) into Connexion
and returns a `connexion.FlaskApp`; its `.app` is the Flask app (for the CLI and tests).
This module may import anything; nothing imports it.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import anyio.to_thread
import connexion
import flask
from a2wsgi import ASGIMiddleware
from connexion.jsonifier import Jsonifier
from pydantic import SecretStr

from app.auth import api_keys
from app.auth.key_owners import ApiKeyOwners
from app.cli import register_cli
from app.container import ASGI_APP_KEY, EXTENSION_KEY, Services
from app.contract.problem_types import catalogue
from app.contract.roles import RoleTable
from app.contract.routing import TagResolver, coroutine_handlers
from app.contract.spec import base_path, load_spec, operations, role_table
from app.http import error_handlers, flask_hooks, handler_context
from app.http.api_versions import ApiVersions
from app.http.auth_pipeline import AccountChecks, AuthPipeline
from app.http.connexion_compat import cache_handler_wrappers, set_wsgi_threads, validator_map
from app.http.docs_routes import register_docs_routes, swagger_ui_options
from app.http.event_streams import EventStreamMiddleware
from app.http.problems import configure_types
from app.http.security import CredentialReader, schemes_by_operation
from app.http.stack import middlewares
from app.http.stream_shutdown import SHUTDOWN_KEY, ServerShutdown, settle_streams
from app.infra import tracing
from app.infra.logging import configure_logging
from app.mcp.dispatch import Dispatcher
from app.mcp.endpoint import PATH as MCP_PATH
from app.mcp.endpoint import McpEndpoint, McpMountMiddleware
from app.mcp.tools import build_tools
from app.openai.middleware import OpenAICompatMiddleware
from app.settings import Settings, load_settings
from app.wiring import build_services, registry_of

# Shutdown: seconds cancelled streams get to record their usage (within the 3 s the
# gunicorn worker leaves for the app's shutdown, app/serving/worker.py).
STREAM_SETTLE_S = 2.0
# Probes and scrapes make no traces (they would drown the requests that matter).
TRACE_EXCLUDED = "/metrics,/api/v1/health/live"


def auth_pipeline(services: Services, spec: dict[str, Any], roles: RoleTable) -> AuthPipeline:
    """The one auth pipeline (`app.http.auth_pipeline`), bound to the security domain."""
    auth = services.auth
    return AuthPipeline(
        reader=CredentialReader(auth.verify_access_token, api_keys.looks_like_key),
        checks=AccountChecks(
            any_revoked=auth.revocations.any_revoked_async,
            token_notices=auth.token_revocation_keys,
            session_notices=auth.revocation_keys,
            bearer_account=auth.bearer_account,
            api_key_account=api_keys.authenticate_api_key,
        ),
        owners=ApiKeyOwners(services.db, auth.revocations),
        roles=roles,
        schemes=schemes_by_operation(operations(spec), spec),
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
    pipeline = auth_pipeline(services, spec, roles)
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
        pipeline=pipeline,
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
        # What startup built (modules, the spec, validators, models) lives as long as the
        # process: out of the collector's generations, a full collection walks only what
        # requests allocate (measured under load: one 320 ms pause of every thread every
        # ~15 s, 50 ms frozen). O(1); thawed at shutdown for processes that start apps again.
        gc.freeze()
        async with mcp.running():
            yield
        gc.unfreeze()
        await settle_streams(services.streams, STREAM_SETTLE_S)
        services.close()

    observability = settings.observability
    debug = (observability.log_request_bodies, observability.profile_requests)
    stack = middlewares(
        versions=_api_versions(settings, api_version),
        docs_prefix=f"{base_path(spec)}/docs",
        metrics_token=_secret(observability.metrics_token),
        unversioned=[MCP_PATH],
        max_body_bytes=settings.api.max_body_bytes,
        pipeline=pipeline,
        limiter=services.rate_limiter,
        entry_points=[
            partial(McpMountMiddleware, endpoint=mcp),  # /mcp: tool calls come back in at the top
            partial(OpenAICompatMiddleware, prefix=base_path(spec)),  # OpenAI clients' key, errors
        ],
        streams=streams,
        debug=(*debug, observability.profile_dir) if any(debug) else None,
    )
    if traced:  # one trace per request, its server span outermost; SQL spans inside it
        # Imported only when tracing is on, like the SDK and exporter (`app.infra.tracing`).
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware  # noqa: PLC0415

        tracing.trace_engine(services.db.engine)
        # No span per ASGI message (`http send`/`http receive`): a stream would get one per
        # event, and they cost a third of the throughput for nothing an operator reads.
        stack.insert(
            0,
            partial(
                OpenTelemetryMiddleware,
                excluded_urls=TRACE_EXCLUDED,
                exclude_spans=["receive", "send"],
            ),
        )
    app = connexion.FlaskApp(
        __name__,
        middlewares=stack,
        # Flask serves no static files; every route it has is declared below or in the spec.
        server_args={"static_folder": None},
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
    flask_hooks.install_guards(flask_app)
    flask_app.extensions[EXTENSION_KEY] = services
    flask_app.extensions[ASGI_APP_KEY] = app
    flask_app.extensions[SHUTDOWN_KEY] = shutdown
    handler_context.install(flask_app, registry, services.db.unit_of_work, pipeline)
    flask_hooks.install_headers(flask_app, api_version)
    register_docs_routes(flask_app, spec, base_path(spec))
    register_cli(flask_app)

    set_wsgi_threads(app, settings.serving.wsgi_threads)
    return app


def create_flask_app() -> flask.Flask:
    """The Flask app for the Flask CLI (`FLASK_APP` in .flaskenv).

    `flask run` serves this app with Werkzeug's WSGI server; calls go through the whole
    ASGI stack (Connexion's routing and validation, our admission pass), bridged by a2wsgi, so it
    behaves like `make run` (which is what to use: uvicorn, proxy settings, reload).
    """
    app = create_app()
    flask_app: flask.Flask = app.app
    flask_app.wsgi_app = ASGIMiddleware(app)  # type: ignore[method-assign,assignment]
    return flask_app
