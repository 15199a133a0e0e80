"""Every use of Connexion's private internals, in one package (Connexion 3.3.0 is pinned):
`threads` (1, 11), `validators` (3, 4, 8, 10), `scope` (5), `handlers` (6), `routing` (7, 9).

Each touch point has its own test in `tests/unit/test_connexion_compat.py`, so an upgrade
that moves one fails loudly there instead of silently changing behaviour.

Upgrade checklist (bump the pin, then walk this list):
1. `set_wsgi_threads`: `FlaskApp._middleware_app.asgi_app` is still an
   `a2wsgi.WSGIMiddleware` with an `executor` (else: find where Flask is wrapped, or look
   for a public pool-size option and drop the swap).
2. Security: Connexion's `SecurityMiddleware` is not in the stack (the admission pass,
   `app.http.admission`, authenticates instead): `ConnexionMiddleware.default_middlewares`
   still lists it, `OAuthProblem` still exists, and nothing else reads `token_info`.
3. Body validator: `JSONRequestBodyValidator` still keeps `_schema`, `_required`,
   `_nullable`, `_encoding` and calls `_parse(stream, scope)` then `_validate(body)` from
   `wrap_receive`, and passes that `scope` on (its copies keep our key); Connexion still
   decides "no body" from Content-Length. The Flask side: a2wsgi still puts the scope in
   the environ as `asgi.scope`, and `WSGIRequest.get_body()` returns `_body` when set.
4. Parameter validator: `ParameterValidator.validate_request(request)` with
   `validate_query_parameter_list`, `validate_{query,path,header,cookie}_parameter`,
   `self.parameters`, `self.strict_validation`, `self.security_query_params`.
5. Routing/context: the scope extension `connexion_routing` carries `operation_id`; in the
   Flask thread `connexion.context.operation`/`scope` are still bound (a2wsgi copies
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
11. `buffered_wsgi` (a2wsgi 1.10): `WSGIResponder` still has `loop`, `executor`,
   `send_queue`, `exc_info`, `response_started`, `send` and `sender`, and
   `WSGIMiddleware` still has `app`, `executor` and `send_queue_size`; `build_environ` and
   `Body` still build the environ (tests/unit/test_buffered_wsgi.py).
12. Run `make test` and `make bench`; compare with bench/results/LATEST.md.
"""

from __future__ import annotations

from app.http.connexion_compat.handlers import cache_handler_wrappers
from app.http.connexion_compat.routing import (
    RoutedRequestsSkipSwaggerUI,
    SafeRoutingMiddleware,
    _FloatConvertor,
    _IntConvertor,
)
from app.http.connexion_compat.scope import (
    current_operation_id,
    current_scope,
    operation_id,
    routed_by_connexion,
)
from app.http.connexion_compat.threads import set_wsgi_threads, wsgi_threads
from app.http.connexion_compat.validators import BODY_KEY, validated_body, validator_map

__all__ = [
    "BODY_KEY",
    "RoutedRequestsSkipSwaggerUI",
    "SafeRoutingMiddleware",
    "_FloatConvertor",
    "_IntConvertor",
    "cache_handler_wrappers",
    "current_operation_id",
    "current_scope",
    "operation_id",
    "routed_by_connexion",
    "set_wsgi_threads",
    "validated_body",
    "validator_map",
    "wsgi_threads",
]
