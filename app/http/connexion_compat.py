"""Every use of Connexion's private internals, in one place (Connexion 3.3.0 is pinned).

Each touch point has its own test in `tests/unit/test_connexion_compat.py`, so an upgrade
that moves one fails loudly there instead of silently changing behaviour.

Upgrade checklist (bump the pin, then walk this list):
1. `set_wsgi_threads`: `FlaskApp._middleware_app.asgi_app` is still an
   `a2wsgi.WSGIMiddleware` with an `executor` (else: find where Flask is wrapped, or look
   for a public pool-size option and drop the swap).
2. Security handlers: `BearerSecurityHandler._resolve_func`/`_get_verify_func` and
   `ApiKeySecurityHandler._resolve_func`/`_get_verify_func` keep their signatures, and
   `check_bearer_token` still returns a coroutine function `(request, token)`.
3. Body validator: `JSONRequestBodyValidator` still keeps `_schema`, `_required`,
   `_nullable`, `_encoding` and calls `_parse(stream, scope)` then `_validate(body)` from
   `wrap_receive`, and passes that `scope` on (its copies keep our key); Connexion still
   decides "no body" from Content-Length. The Flask side: a2wsgi still puts the scope in
   the environ as `asgi.scope`, and `WSGIRequest.get_body()` returns `_body` when set.
4. Parameter validator: `ParameterValidator.validate_request(request)` with
   `validate_query_parameter_list`, `validate_{query,path,header,cookie}_parameter`,
   `self.parameters`, `self.strict_validation`, `self.security_query_params`.
5. Routing/context: the scope extension `connexion_routing` carries `operation_id`, and
   `connexion_context` carries `token_info` (read by the early RBAC middleware); in the
   Flask thread `connexion.context.context`/`operation` are still bound (a2wsgi copies
   contextvars).
6. Handler wrappers: `FlaskOperation` keeps `_fn`, `pythonic_params`, `jsonifier`, and
   `FlaskDecorator` still has `decorate(fn)`, `uri_parser` and `framework.get_request`.
7. Swagger UI: `SwaggerUIMiddleware` still calls the next app as `self.app` and can sit after
   `RoutingMiddleware` (unmatched paths pass through routing untouched); its `router` is a
   Starlette `Router` with each API's `Router` mounted (slash redirects turned off).
8. Parameter validation: `ParameterValidator.validate_parameter(parameter_type, value,
   param, param_name)` is still called per parameter with the spec's parameter dict.
9. Path converters: `RoutingMiddleware.__init__` still registers Connexion's `int`/`float`
   Starlette convertors globally, before `add_api` compiles the routes (ours replace them).
   Its `router` is a Starlette `Router` and `add_api` mounts each API's `Router` in it
   (both get `redirect_slashes = False`).
10. Response validation: `validator_map["response"]` entries are still built as
   `cls(scope, schema=..., nullable=..., encoding=...)` and wrap the send with `wrap_send`.
11. Run `make test` and `make bench`; compare with bench/results/LATEST.md.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

import connexion
import flask
from a2wsgi import WSGIMiddleware
from connexion.apps.flask import FlaskOperation
from connexion.context import context as connexion_context
from connexion.context import operation as connexion_operation
from connexion.datastructures import MediaTypeDict
from connexion.decorators.main import FlaskDecorator
from connexion.exceptions import ProblemException
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.security import NO_VALUE, ApiKeySecurityHandler, BearerSecurityHandler
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    VALIDATOR_MAP,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    ParameterValidator,
)
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import Headers
from starlette.routing import Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import Location, field_error
from app.http import validation

TokenInfo = dict[str, Any]
# Scope key of the request body as the body validator parsed (and then validated) it: the
# handler gets this very value, never a second parse by another parser.
BODY_KEY = "app.json_body"
# Returns token_info, or NO_VALUE when the request carries no credential of this kind.
CredentialCheck = Callable[[Any], Any]


# 1. Thread pool -------------------------------------------------------------------------
def set_wsgi_threads(app: connexion.FlaskApp, threads: int) -> None:
    """Run Flask on a pool of `threads` worker threads (Connexion hard-codes 10)."""
    asgi_wrapper = app._middleware_app
    old = asgi_wrapper.asgi_app
    if not isinstance(old, WSGIMiddleware):
        msg = f"Unexpected Connexion internals: {type(old)!r}; re-check the pinned version"
        raise RuntimeError(msg)
    asgi_wrapper.asgi_app = WSGIMiddleware(app.app.wsgi_app, workers=threads)
    old.executor.shutdown(wait=False)


def wsgi_threads(app: connexion.FlaskApp) -> int:
    """The pool size in effect (for tests and diagnostics)."""
    workers: int = app._middleware_app.asgi_app.executor._max_workers
    return workers


# 2. Security handlers -------------------------------------------------------------------
def security_map(*, bearer: CredentialCheck, api_key: CredentialCheck) -> dict[str, type]:
    """Connexion `security_map` whose handlers call our checks with the raw request.

    `bearer(request)` parses the Authorization header itself (Connexion's parser turns a
    malformed header into a generic problem); `api_key(request)` gets the header's value.
    """

    class Bearer(BearerSecurityHandler):  # type: ignore[misc]
        def _resolve_func(self, _scheme: dict[str, Any]) -> Any:
            return bearer

        def _get_verify_func(self, _token_info_func: Any) -> Any:
            return bearer

    class ApiKey(ApiKeySecurityHandler):  # type: ignore[misc]
        def _resolve_func(self, _scheme: dict[str, Any]) -> Any:
            return api_key

        def _get_verify_func(self, _func: Any, _loc: str, name: str, *_: Any) -> Any:
            def wrapper(request: Any) -> Any:
                return api_key(request) if request.headers.get(name) is not None else NO_VALUE

            return wrapper

    return {"bearer": Bearer, "apiKey": ApiKey}


# 3./4./7. Validators -----------------------------------------------------------------------
def validator_map() -> dict[str, Any]:
    """The validator map passed to Connexion: every error listed, problem codes, and one
    jsonschema validator per body schema for the app's lifetime."""
    cache: dict[int, tuple[Mapping[str, Any], Any]] = {}

    def cached_validator(schema: Mapping[str, Any]) -> Any:
        hit = cache.get(id(schema))
        if hit is None or hit[0] is not schema:
            hit = (schema, validation.build_body_validator(schema))
            cache[id(schema)] = hit
        return hit[1]

    class BodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]
        async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
            length = Headers(scope=scope).get("content-length", "0")
            if self._required and length == "0" and self._schema.get("default") is None:
                raise validation.missing_body()
            wrapped: tuple[Receive, Scope] = await super().wrap_receive(receive, scope=scope)
            return wrapped

        async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
            raw = b"".join([chunk async for chunk in stream])
            body = validation.parse_json(raw, self._encoding)
            scope[BODY_KEY] = body  # read only if `_validate` accepts it
            return body

        def _validate(self, body: Any) -> dict[str, Any] | None:
            if body is None:
                if self._nullable:
                    return None
                raise validation.missing_body()
            validation.validate_body(cached_validator(self._schema), body)
            return None

    param_cache: dict[int, tuple[Mapping[str, Any], Any]] = {}

    def cached_param_validator(param: Mapping[str, Any]) -> Any:
        hit = param_cache.get(id(param))
        if hit is None or hit[0] is not param:
            hit = (param, validation.build_param_validator(param.get("schema", param)))
            param_cache[id(param)] = hit
        return hit[1]

    class ParamValidator(ParameterValidator):  # type: ignore[misc]
        @staticmethod
        def validate_parameter(
            parameter_type: str, value: Any, param: dict[str, Any], param_name: Any = None
        ) -> str | None:
            """Connexion's check with one validator per parameter for the app's lifetime
            (Connexion deep-copies the parameter and builds one per request) and our bounded,
            redacting message (its own echoes the whole value and schema)."""
            if is_nullable(param) and is_null(value):
                return None
            if value is None:
                missing = f"Missing {parameter_type} parameter '{param['name']}'"
                return missing if param.get("required") else None
            error = next(cached_param_validator(param).iter_errors(value), None)
            return validation.describe(error) if error is not None else None

        def validate_request(self, request: Any) -> None:
            errors: list[dict[str, str]] = []
            if self.strict_validation:
                extra = self.validate_query_parameter_list(
                    request, security_params=self.security_query_params
                )
                errors += [
                    field_error("query", name, "Unknown query parameter.") for name in sorted(extra)
                ]
            getters: dict[Location, Any] = {
                "query": self.validate_query_parameter,
                "path": self.validate_path_parameter,
                "header": self.validate_header_parameter,
                "cookie": self.validate_cookie_parameter,
            }
            for location, getter in getters.items():
                for param in self.parameters.get(location, []):
                    try:
                        message = getter(param, request)
                    except ProblemException as exc:  # type coercion failed in the URI parser
                        message = str(exc.detail)
                    except (ValueError, TypeError) as exc:
                        message = str(exc)
                    if message:
                        errors.append(
                            field_error(location, param["name"], validation.first_line(message))
                        )
            if errors:
                raise validation.invalid_parameters(errors)

    class ResponseValidator(JSONResponseBodyValidator):  # type: ignore[misc]
        def wrap_send(self, send: Send) -> Send:
            # A HEAD response has GET's headers (validated already) and no body to validate.
            if self._scope.get("method") == "HEAD":
                return send
            wrapped: Send = super().wrap_send(send)
            return wrapped

    body = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    body["*/*json"] = BodyValidator
    response = MediaTypeDict(dict(VALIDATOR_MAP["response"]))
    response["*/*json"] = ResponseValidator
    response["text/event-stream"] = _EventStreamResponse
    return {"parameter": ParamValidator, "body": body, "response": response}


class _EventStreamResponse:
    """Server-sent events are not one JSON document: their `data` is checked by the tests
    against the spec's `x-events` schemas. Registered so Connexion does not log "Skipping
    validation" for every stream."""

    def __init__(self, _scope: Scope, **_: Any) -> None:
        pass

    def wrap_send(self, send: Send) -> Send:
        return send


def validated_body(scope: Scope) -> tuple[bool, Any]:
    """(True, body) when the body validator parsed and accepted this request's body."""
    return (True, scope[BODY_KEY]) if BODY_KEY in scope else (False, None)


# 6. Handler wrappers ------------------------------------------------------------------------
class _OnceFlaskDecorator(FlaskDecorator):  # type: ignore[misc]
    """Connexion's FlaskDecorator re-decorates the handler (inspect.signature included) and
    builds a URI parser on every request; this one does both once per operation."""

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        decorated = self.decorate(function)
        parser: list[Any] = []  # built on the first request (needs the operation context)

        @functools.wraps(function)
        def wrapper(*_args: Any, **_kwargs: Any) -> Any:
            if not parser:
                parser.append(self.uri_parser)
            request = self.framework.get_request(uri_parser=parser[0])
            scope = flask.request.environ.get("asgi.scope")
            if scope is not None and scope.get(BODY_KEY) is not None:
                # The validated body, not Flask's own parse of the bytes (a second parser
                # with other rules: charset, NaN).
                request._body = scope[BODY_KEY]
            return decorated(request)

        return wrapper


def cache_handler_wrappers(app: connexion.FlaskApp) -> None:
    """Have every API's views (FlaskOperations) replaced by handlers decorated once.

    Connexion registers the views lazily, when the middleware stack is built; so wrap the
    inner app's `add_api` and swap the views right after each registration."""
    inner = app._middleware_app
    original = inner.add_api

    def add_api(specification: Any, **kwargs: Any) -> Any:
        api = original(specification, **kwargs)
        flask_app: flask.Flask = inner.app
        for endpoint, view in list(flask_app.view_functions.items()):
            if isinstance(view, FlaskOperation):
                once = _OnceFlaskDecorator(
                    pythonic_params=view.pythonic_params, jsonifier=view.jsonifier
                )
                flask_app.view_functions[endpoint] = once(view._fn)
        return api

    inner.add_api = add_api


# 7. Swagger UI off the hot path ----------------------------------------------------------
class RoutedRequestsSkipSwaggerUI(SwaggerUIMiddleware):  # type: ignore[misc]
    """Swagger UI placed after routing: a request that matched an operation goes straight
    on, without running the docs router (only unmatched paths, like /api/v1/docs/, do).
    Its routers make no slash redirects either (`/api/v1` would get a 307 to an absolute
    URL built from `Host`); its own `/api/v1/docs` -> `/api/v1/docs/` route stays. Its
    files are served from a directory, which ignores a trailing slash
    (`/api/v1/docs/swagger-ui.css/`): any path ending in `/` but the UI's own root is an
    unknown path here (404), like every other route's."""

    def add_api(self, specification: Any, **kwargs: Any) -> None:
        super().add_api(specification, **kwargs)
        _no_slash_redirects(self.router)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            operation_id(scope) is not None or _slash_after_a_file(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _slash_after_a_file(path: str) -> bool:
    return path.endswith("/") and not path.endswith("/docs/")


# 5. Scope extensions ----------------------------------------------------------------------
def operation_id(scope: Scope) -> str | None:
    """The operationId Connexion's router matched, if any."""
    routing = scope.get("extensions", {}).get("connexion_routing", {})
    value = routing.get("operation_id")
    return value if isinstance(value, str) else None


def token_info(scope: Scope) -> TokenInfo | None:
    """What the security middleware stored for this request, if anything."""
    info = scope.get("extensions", {}).get("connexion_context", {}).get("token_info")
    return info if isinstance(info, dict) else None


def current_token_info() -> TokenInfo | None:
    """token_info of the request this thread serves (None outside a Connexion operation)."""
    try:
        info = connexion_context.get("token_info")
    except (LookupError, RuntimeError):  # no operation context: a plain Flask route
        return None
    return info if isinstance(info, dict) else None


def routed_by_connexion() -> bool:
    """Whether the request this Flask thread serves was routed to an operation by Connexion
    (so validated and authenticated); False for plain Flask routes and stray matches."""
    return current_operation_id() is not None


def current_operation_id() -> str | None:
    try:
        value = connexion_operation.operation_id
    except (LookupError, RuntimeError):
        return None
    return value if isinstance(value, str) else None


# 6. Path convertors ---------------------------------------------------------------------
class _IntConvertor(Convertor):  # type: ignore[type-arg]
    """Connexion's `int` path convertor, except that converting never raises: a value that
    int() refuses (over 4,300 digits) stays a string, which parameter validation then
    rejects (400 `invalid_parameter`), where Connexion's crashed the router (500)."""

    regex = r"[+-]?[0-9]+"

    def convert(self, value: str) -> Any:
        try:
            return int(value)
        except ValueError:
            return value

    def to_string(self, value: Any) -> str:
        return str(value)


class _FloatConvertor(Convertor):  # type: ignore[type-arg]
    """Connexion's `float` path convertor (its regex admits "" and "."), never raising."""

    regex = r"[+-]?[0-9]*(\.[0-9]*)?"

    def convert(self, value: str) -> Any:
        try:
            return float(value)
        except ValueError:
            return value

    def to_string(self, value: Any) -> str:
        return str(value)


class SafeRoutingMiddleware(RoutingMiddleware):  # type: ignore[misc]
    """Connexion's router with path convertors that cannot raise, and no slash redirects.

    Starlette keeps convertors in one global registry, and Connexion's RoutingMiddleware
    registers its own there on construction, before the API's routes are compiled; ours
    replace them right after.

    Starlette's routers answer a path that matches only with a slash added or removed
    (`/api/v1/items/`) with a 307 to an absolute URL built from the `Host` header: an
    undocumented route, and a redirect target the client chose. Here it is an unknown path
    (404 `not_found`), like any other.
    """

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        register_url_convertor("int", _IntConvertor())
        register_url_convertor("float", _FloatConvertor())
        self.router.redirect_slashes = False

    def add_api(self, specification: Any, **kwargs: Any) -> None:
        super().add_api(specification, **kwargs)
        _no_slash_redirects(self.router)


def _no_slash_redirects(router: Router) -> None:
    """Turn off Starlette's slash redirects in `router` and the routers mounted in it."""
    router.redirect_slashes = False
    for route in router.routes:
        if isinstance(route, Mount) and isinstance(route.app, Router):
            _no_slash_redirects(route.app)
