"""Application factory and ASGI entry point.

    uvicorn --factory app.main:create_app      # ASGI (what `make run` does)

`create_app(settings)` returns a `connexion.FlaskApp`; its `.app` is the Flask app
(for the Flask CLI and tests).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, NoReturn

import connexion
import flask
import starlette.exceptions
import werkzeug.exceptions
from connexion.jsonifier import Jsonifier
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.options import SwaggerUIOptions

from app.cli import register_cli
from app.core import error_handlers
from app.core.body_limit import BodySizeLimitMiddleware
from app.core.concurrency import set_wsgi_threads
from app.core.docs_routes import register_docs_routes
from app.core.logging import configure_logging
from app.core.request_context import RequestContextMiddleware
from app.core.request_id import HEADER as REQUEST_ID_HEADER
from app.core.resources import EXTENSION_KEY, Resources, close_request_session
from app.core.security.connexion_auth import Authenticator, security_map
from app.core.security.rbac import RoleMiddleware, roles_by_operation
from app.core.spec import SPEC_DIR, SPEC_PATH, base_path, load_spec
from app.core.validation import validator_map
from app.settings import Settings, load_settings


def _middlewares(
    settings: Settings, api_version: str, roles: dict[str, frozenset[str]]
) -> list[Any]:
    """Connexion's stack, wrapped by our request context, with the body limit just inside
    the exception middleware (so its errors render as problems) and role checks right
    after authentication."""
    stack: list[Any] = list(ConnexionMiddleware.default_middlewares)
    stack.insert(stack.index(SecurityMiddleware) + 1, partial(RoleMiddleware, roles=roles))
    stack.insert(
        stack.index(ExceptionMiddleware) + 1,
        partial(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes),
    )
    return [partial(RequestContextMiddleware, api_version=api_version), *stack]


def _reraise_http_exception(exc: werkzeug.exceptions.HTTPException) -> NoReturn:
    """Flask-side HTTP errors go to the ASGI error handlers, keeping headers such as Allow."""
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    raise starlette.exceptions.HTTPException(exc.code or 500, exc.description, headers)


def _stamp_headers(response: flask.Response, *, api_version: str) -> flask.Response:
    """Set the spec's required response headers where Connexion's response validation
    sees them (the outer middleware adds them again to responses that never reach Flask)."""
    response.headers[REQUEST_ID_HEADER] = flask.request.headers.get(REQUEST_ID_HEADER, "")
    response.headers["API-Version"] = api_version
    return response


def create_app(settings: Settings | None = None) -> connexion.FlaskApp:
    """Build the app. With no settings, read them from the environment."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, json_logs=settings.log_json)
    spec = load_spec(SPEC_PATH)
    api_version = str(spec["info"]["version"])
    resources = Resources.create(settings, api_version)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        yield
        resources.close()

    indent = None if settings.compact_json else 2
    app = connexion.FlaskApp(
        __name__,
        specification_dir=SPEC_DIR,
        middlewares=_middlewares(settings, api_version, roles_by_operation(spec)),
        security_map=security_map(Authenticator(resources.db, resources.auth)),
        lifespan=lifespan,
        jsonifier=Jsonifier(separators=(",", ":")) if indent is None else Jsonifier(indent=2),
        swagger_ui_options=SwaggerUIOptions(
            swagger_ui_path="/docs",
            swagger_ui_config={"persistAuthorization": True, "displayRequestDuration": True},
        ),
        validator_map=validator_map(),
        strict_validation=True,
        validate_responses=settings.env != "production",
    )
    app.add_api(SPEC_PATH.name)
    error_handlers.register(app, spec)

    flask_app = app.app
    flask_app.extensions[EXTENSION_KEY] = resources
    flask_app.teardown_appcontext(close_request_session)
    flask_app.register_error_handler(werkzeug.exceptions.HTTPException, _reraise_http_exception)
    flask_app.after_request(partial(_stamp_headers, api_version=api_version))
    register_docs_routes(flask_app, spec, base_path(spec))

    register_cli(flask_app)

    set_wsgi_threads(app, settings.wsgi_threads)
    return app


def create_flask_app() -> flask.Flask:
    """The Flask app of create_app(), for the Flask CLI (`FLASK_APP` in .flaskenv)."""
    flask_app: flask.Flask = create_app().app
    return flask_app
