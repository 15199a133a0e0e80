"""Handlers decorated once per operation, not per request (checklist item 6)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import connexion
import flask
from connexion.apps.flask import FlaskOperation
from connexion.decorators.main import FlaskDecorator

from app.http.connexion_compat.validators import BODY_KEY


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
