"""The docs entry points: `/`, `/docs`, and the spec at `[/api/v1]/openapi.{json,yaml}`.

Connexion serves Swagger UI under the API base path (`/api/v1/docs/`); `/docs` redirects
there. The spec is served here, at the root and under the base path (where Swagger UI reads
it): the bundle with its named components, rendered on first use and then kept (Connexion's
own spec route would re-resolve a fully dereferenced copy on every request; rendering at
startup cost a tenth of a second of cold start for a route few requests take).
`openapi.yaml` is byte for byte the committed `generated/openapi.yaml`.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from flask import Flask, Response, redirect

from app.http.spec_bundle import dump


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

    flask_app.add_url_rule("/", "root", root, methods=["GET"])
    flask_app.add_url_rule("/docs", "docs", docs, methods=["GET"])
    for prefix in ("", base_path):
        for name, view in (("openapi.json", openapi_json), ("openapi.yaml", openapi_yaml)):
            # No dot in the endpoint name: Flask would read the part before it as a blueprint.
            endpoint = f"spec{'_versioned' if prefix else ''}_{name.replace('.', '_')}"
            flask_app.add_url_rule(f"{prefix}/{name}", endpoint, view, methods=["GET"])
