"""One test per touch point of app/http/connexion_compat.py (its docstring lists them).

A Connexion upgrade that moves one of these internals fails here, by name, instead of
silently changing behaviour.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import anyio.to_thread
import connexion
import connexion.decorators.parameter as parameter_module
import pytest
from connexion.apps.flask import FlaskOperation
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from starlette.convertors import CONVERTOR_TYPES
from starlette.testclient import TestClient

from app.contract.spec import load_spec, operations
from app.http import connexion_compat, validation
from app.http.admission import AdmissionMiddleware
from app.http.api_versions import ApiVersions
from app.http.connexion_compat import set_wsgi_threads, wsgi_threads
from app.http.stack import middlewares
from app.main import create_app
from tests.auth_helpers import Account
from tests.problems import assert_problem


def test_connexion_is_the_pinned_version() -> None:
    assert version("connexion") == "3.3.0", "walk the checklist in connexion_compat first"


# 1. The thread pool -----------------------------------------------------------------------
def test_thread_pool_swap_takes_effect(app: connexion.FlaskApp) -> None:
    assert wsgi_threads(app) == app.app.extensions["app_services"].settings.serving.wsgi_threads


def test_thread_pool_swap_refuses_unknown_internals(app: connexion.FlaskApp) -> None:
    original = app._middleware_app.asgi_app
    app._middleware_app.asgi_app = object()
    try:
        with pytest.raises(RuntimeError, match="Unexpected Connexion internals"):
            set_wsgi_threads(app, 8)
    finally:
        app._middleware_app.asgi_app = original


# 2. Security handlers ---------------------------------------------------------------------
def test_connexion_security_middleware_is_replaced_by_the_admission_pass() -> None:
    # Checklist item 2: the admission pass takes the security middleware's place.
    assert SecurityMiddleware in ConnexionMiddleware.default_middlewares
    stack = middlewares(
        versions=ApiVersions(latest="1"),
        docs_prefix="/docs",
        metrics_token=None,
        unversioned=[],
        max_body_bytes=1,
        pipeline=None,  # type: ignore[arg-type]
        limiter=None,  # type: ignore[arg-type]
        entry_points=[],
        streams=None,
    )
    assert SecurityMiddleware not in stack
    assert any(getattr(m, "func", None) is AdmissionMiddleware for m in stack)


def test_authentication_takes_no_worker_thread(
    client: TestClient, member: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The JWT checks run inline on the event loop and the database half in the Flask
    # thread: nothing is handed to anyio's worker threads (that hop cost ~12% of
    # GET /users/me; bench/ablations/auth-without-thread-hop.patch restores it, and this
    # test then fails).
    hops: list[object] = []
    real_run_sync = anyio.to_thread.run_sync

    async def counting_run_sync(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(func)
        return await real_run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting_run_sync)
    for _ in range(5):
        assert client.get("/api/v1/users/me", headers=member.headers).status_code == 200
    assert hops == []


# 3. The body validator --------------------------------------------------------------------
def test_body_validator_keeps_the_private_attributes_we_read() -> None:
    body = connexion_compat.validator_map()["body"]["application/json"]
    validator = body(
        schema={"type": "object"},
        required=True,
        nullable=False,
        encoding="utf-8",
        strict_validation=True,
    )
    assert validator._schema == {"type": "object"}
    assert validator._required is True
    assert validator._nullable is False
    assert validator._encoding == "utf-8"


def test_body_validators_are_built_once_per_schema(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Any] = []
    real = validation.build_body_validator

    def counting(schema: Any) -> Any:
        built.append(schema)
        return real(schema)

    monkeypatch.setattr(validation, "build_body_validator", counting)
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"email": "a@example.com"})
    assert len(built) <= 1  # at most once (zero if an earlier test already built it)


def test_body_validator_reports_every_error(client: TestClient) -> None:
    body = assert_problem(client.post("/api/v1/auth/register", json={}), 422, "validation_error")
    assert {e["field"] for e in body["errors"]} == {"email", "password", "full_name"}


def test_the_handler_gets_the_body_the_validator_parsed(
    app: connexion.FlaskApp, client: TestClient, member: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `asgi.scope` in the WSGI environ carries the validated body to `WSGIRequest._body`:
    # Flask's own JSON parser is never asked.
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the body was parsed a second time")

    monkeypatch.setattr(app.app.json, "loads", refuse)
    body = {"name": "mug", "price": "1", "attributes": {"n": 1.5}}
    response = client.post("/api/v1/items", json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    assert response.json()["data"]["attributes"] == {"n": 1.5}


# 4. The parameter validator ---------------------------------------------------------------
def test_parameter_validator_lists_every_bad_parameter(client: TestClient, admin: Account) -> None:
    response = client.get("/api/v1/users?page=0&size=1000&bogus=1", headers=admin.headers)
    body = assert_problem(response, 400, "invalid_parameter")
    assert {e["field"] for e in body["errors"]} == {"page", "size", "bogus"}


# 5. Scope extensions ------------------------------------------------------------------------
def test_roles_are_checked_before_the_body_is_validated(
    client: TestClient, member: Account
) -> None:
    # Reads connexion_routing/connexion_context from the scope: a forbidden caller learns
    # nothing about the body schema (403 even though the body is invalid).
    response = client.patch("/api/v1/users/1", json={"bogus": 1}, headers=member.headers)
    assert_problem(response, 403, "forbidden")


def test_the_flask_side_sees_the_operation_context(client: TestClient, member: Account) -> None:
    # current_token_info / current_operation_id: the caller is authenticated in Flask.
    response = client.get("/api/v1/users/me", headers=member.headers)
    assert response.status_code == 200
    assert response.json()["data"]["email"] == "member@example.com"


def test_parameter_validators_are_built_once_per_parameter(
    client: TestClient, admin: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Any] = []
    real = validation.build_param_validator

    def counting(schema: Any) -> Any:
        built.append(schema)
        return real(schema)

    monkeypatch.setattr(validation, "build_param_validator", counting)
    for _ in range(5):
        response = client.get("/api/v1/users?page=1&size=5&sort=email", headers=admin.headers)
        assert response.status_code == 200
    assert len(built) <= 3  # page, size, sort: at most once each, not once per request


# 6. Handler wrappers ------------------------------------------------------------------------
def test_handlers_are_decorated_once_not_per_request(
    make_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    real = parameter_module.inspect_function_arguments

    def counting(function: Any) -> Any:
        calls.append(function)
        return real(function)

    monkeypatch.setattr(parameter_module, "inspect_function_arguments", counting)
    client = create_app(make_settings()).test_client()
    assert client.get("/api/v1/health/live").status_code == 200
    at_startup = len(calls)
    assert at_startup > 0  # every operation's handler was inspected once, when registered
    for _ in range(5):
        assert client.get("/api/v1/health/live").status_code == 200
    assert len(calls) == at_startup


def test_every_operation_view_is_replaced(app: connexion.FlaskApp, client: TestClient) -> None:
    client.get("/api/v1/health/live")  # Connexion registers the views on first use
    views = list(app.app.view_functions.values())
    handlers = {getattr(v, "__wrapped__", None) for v in views} - {None}
    assert not any(isinstance(v, FlaskOperation) for v in views)
    assert len(handlers) >= len(operations(load_spec()))  # every operation's handler, wrapped


# 7. Swagger UI off the hot path ---------------------------------------------------------------
def test_swagger_ui_still_serves_the_docs(client: TestClient) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert "swagger-ui" in response.text


def test_routed_requests_skip_the_docs_router(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered: list[str] = []
    real = SwaggerUIMiddleware.__call__

    async def spy(self: Any, scope: Any, receive: Any, send: Any) -> None:
        entered.append(scope["path"])
        await real(self, scope, receive, send)

    monkeypatch.setattr(SwaggerUIMiddleware, "__call__", spy)
    client.get("/api/v1/health/live")
    client.get("/api/v1/docs/")
    assert entered == ["/api/v1/docs/"]


def test_no_router_redirects_a_slash(client: TestClient) -> None:
    # Connexion's and Swagger UI's Starlette routers (and the API routers mounted in them)
    # have `redirect_slashes` off; Swagger UI's own docs redirect stays.
    for path in ("/api/v1/health/live/", "/api/v1", "/api/v1/"):
        assert_problem(client.get(path, follow_redirects=False), 404, "not_found")
    docs = client.get("/api/v1/docs", follow_redirects=False)
    assert (docs.status_code, docs.headers["location"]) == (307, "/api/v1/docs/")


# 9. Path converters -------------------------------------------------------------------------
def test_the_safe_router_registers_its_convertors(app: connexion.FlaskApp) -> None:
    # Built lazily with the middleware stack; Connexion's own would be registered otherwise.
    app.test_client().get("/api/v1/health/live")
    assert isinstance(CONVERTOR_TYPES["int"], connexion_compat._IntConvertor)
    assert isinstance(CONVERTOR_TYPES["float"], connexion_compat._FloatConvertor)
