"""Root-level conveniences outside the versioned API: `/`, `/docs`, `/openapi.{json,yaml}`.

Connexion serves Swagger UI and the spec under the API base path (`/api/v1/docs/`,
`/api/v1/openapi.json`); these routes make the same things reachable from the root.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from flask import Flask, Response, redirect


def register_docs_routes(flask_app: Flask, spec: dict[str, Any], base_path: str) -> None:
    """Serve the spec at the root and point `/` and `/docs` at the Swagger UI."""
    spec_json = json.dumps(spec, indent=2)
    spec_yaml = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)

    def root() -> Any:
        return redirect("/docs", code=302)

    def docs() -> Any:
        return redirect(f"{base_path}/docs/", code=302)

    def openapi_json() -> Response:
        return Response(spec_json, mimetype="application/json")

    def openapi_yaml() -> Response:
        return Response(spec_yaml, mimetype="application/yaml")

    flask_app.add_url_rule("/", "root", root, methods=["GET"])
    flask_app.add_url_rule("/docs", "docs", docs, methods=["GET"])
    flask_app.add_url_rule("/openapi.json", "openapi_json", openapi_json, methods=["GET"])
    flask_app.add_url_rule("/openapi.yaml", "openapi_yaml", openapi_yaml, methods=["GET"])
