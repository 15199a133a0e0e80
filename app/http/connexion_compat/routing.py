"""Connexion's router and Swagger UI, made safe (checklist items 7 and 9): path convertors
that cannot raise, no slash redirects, and the docs router off the hot path."""

from __future__ import annotations

from typing import Any

from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from app.http.connexion_compat.scope import operation_id


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
