"""The Flask app's own hooks around every view: only operations Connexion routed are
served, Flask's HTTP errors go to the ASGI error handlers, and the spec's required
response headers are set where Connexion's response validation sees them."""

from __future__ import annotations

from functools import partial
from typing import NoReturn

import flask
import starlette.exceptions
import werkzeug.exceptions

from app.http.connexion_compat import routed_by_connexion
from app.http.request_id import HEADER as REQUEST_ID_HEADER
from app.http.response_policy import PRIVATE_HEADERS, has_credentials


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
    sees them (the edge pass adds them again to responses that never reach Flask)."""
    response.headers[REQUEST_ID_HEADER] = flask.request.headers.get(REQUEST_ID_HEADER, "")
    response.headers["API-Version"] = api_version
    if has_credentials(flask.request.headers):
        response.headers.update(PRIVATE_HEADERS)
    return response


def install_guards(flask_app: flask.Flask) -> None:
    """Before any other hook: stray matches are 404s."""
    # Connexion's router does not merge slashes; Flask must not either, or `/api/v1//users`
    # would match in Flask (a redirect, or an operation Connexion never routed).
    flask_app.url_map.merge_slashes = False
    flask_app.before_request(_only_routed_operations)
    flask_app.register_error_handler(werkzeug.exceptions.HTTPException, _reraise_http_exception)


def install_headers(flask_app: flask.Flask, api_version: str) -> None:
    flask_app.after_request(partial(_stamp_headers, api_version=api_version))
