"""The docs entry points: `/`, `/docs`, the spec at `[/api/v1]/openapi.{json,yaml}`, and
the problem-type pages at `/docs/problems[/<code>]`.

Connexion serves Swagger UI under the API base path (`/api/v1/docs/`); `/docs` redirects
there. The spec is served here, at the root and under the base path (where Swagger UI reads
it): the bundle with its named components, rendered on first use and then kept (Connexion's
own spec route would re-resolve a fully dereferenced copy on every request; rendering at
startup cost a tenth of a second of cold start for a route few requests take).
`openapi.yaml` is byte for byte the committed `generated/openapi.yaml`.

Swagger UI is version 5 from npm's `swagger-ui-dist`, vendored into `swagger_ui/` (the PyPI
`swagger-ui-bundle` stops at 4.15.5; `scripts/vendor_swagger_ui.py` pins and refreshes it),
with our `index.j2` set up as an operator's console (`SWAGGER_UI_CONFIG`). Its config is
written into the page's one inline script, which the docs CSP allows by hash.

The problem pages (what each error `code` means, how to fix it) are the targets of the
default problem `type` URIs: small static HTML rendered once here from the spec's catalogue,
outside Swagger UI's `/api/v1/docs/` files, under the API's strict CSP (they need nothing).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import werkzeug.exceptions
from connexion.options import SwaggerUIOptions
from flask import Flask, Response, redirect

from app.contract.bundle import dump
from app.contract.problem_types import PAGES_PATH, catalogue, render_index, render_page
from app.http.problems import type_base

# The pages change only with a deploy; an hour keeps them cheap for clients and proxies.
PAGE_CACHE_CONTROL = "public, max-age=3600"

SWAGGER_UI_DIR = Path(__file__).with_name("swagger_ui")
# Swagger UI as the operator's console: links to operations (`#/items/createItem`), the
# credentials kept across reloads, "Try it out" already on, timings and operationIds shown,
# a tag filter, operations listed collapsed. No validator badge: it calls an outside host.
SWAGGER_UI_CONFIG: dict[str, Any] = {
    "deepLinking": True,
    "persistAuthorization": True,
    "displayRequestDuration": True,
    "filter": True,
    "tryItOutEnabled": True,
    "docExpansion": "list",
    "displayOperationId": True,
    "validatorUrl": None,
}


def swagger_ui_options(spec: dict[str, Any]) -> SwaggerUIOptions:
    """Connexion serves Swagger UI from our directory and template, with our config."""
    return SwaggerUIOptions(
        serve_spec=False,  # register_docs_routes serves the bundle, rendered once
        swagger_ui_path="/docs",
        swagger_ui_template_dir=str(SWAGGER_UI_DIR),
        swagger_ui_template_arguments={
            "title": spec["info"]["title"],
            "config": SWAGGER_UI_CONFIG,
        },
    )


def register_docs_routes(flask_app: Flask, spec: dict[str, Any], base_path: str) -> None:
    """Serve the spec at the root and point `/` and `/docs` at the Swagger UI."""

    @cache
    def spec_json() -> str:
        return json.dumps(spec, indent=2)

    @cache
    def spec_yaml() -> str:
        return dump(spec)

    def root() -> Any:
        return redirect("/docs", code=302)

    def docs() -> Any:
        return redirect(f"{base_path}/docs/", code=302)

    def openapi_json() -> Response:
        return Response(spec_json(), mimetype="application/json")

    def openapi_yaml() -> Response:
        return Response(spec_yaml(), mimetype="application/yaml")

    problems = catalogue(spec)
    base = type_base()
    pages = {code: render_page(p, base) for code, p in problems.items()}
    index = render_index(problems)

    def problem_index() -> Response:
        return _html(index)

    def problem_page(code: str) -> Response:
        page = pages.get(code)
        if page is None:
            raise werkzeug.exceptions.NotFound()
        return _html(page)

    flask_app.add_url_rule(PAGES_PATH, "problem_index", problem_index, methods=["GET"])
    flask_app.add_url_rule(f"{PAGES_PATH}/<code>", "problem_page", problem_page, methods=["GET"])
    flask_app.add_url_rule("/", "root", root, methods=["GET"])
    flask_app.add_url_rule("/docs", "docs", docs, methods=["GET"])
    for prefix in ("", base_path):
        for name, view in (("openapi.json", openapi_json), ("openapi.yaml", openapi_yaml)):
            # No dot in the endpoint name: Flask would read the part before it as a blueprint.
            endpoint = f"spec{'_versioned' if prefix else ''}_{name.replace('.', '_')}"
            flask_app.add_url_rule(f"{prefix}/{name}", endpoint, view, methods=["GET"])


def _html(page: bytes) -> Response:
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    return response
