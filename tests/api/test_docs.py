"""Swagger UI and the spec are served, from local files (no CDN)."""

import yaml
from starlette.testclient import TestClient

from app.core.spec import load_spec


def test_root_redirects_to_docs(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/docs"


def test_docs_renders_swagger_ui(client: TestClient) -> None:
    response = client.get("/docs")  # follows the redirect to the versioned UI
    assert response.status_code == 200
    assert "swagger-ui" in response.text
    assert "/api/v1/openapi.json" in response.text
    # Assets come from the swagger-ui-bundle package, not a CDN.
    assert "unpkg" not in response.text
    assert "cdn" not in response.text.lower()
    bundle = client.get("/api/v1/docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.content) > 100_000


def test_openapi_json_and_yaml_are_the_spec(client: TestClient) -> None:
    spec = load_spec()
    as_json = client.get("/openapi.json")
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json() == spec
    as_yaml = client.get("/openapi.yaml")
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    assert yaml.safe_load(as_yaml.text) == spec
    versioned = client.get("/api/v1/openapi.json")
    assert versioned.status_code == 200
    assert versioned.json()["paths"].keys() == spec["paths"].keys()


def test_docs_routes_reject_other_methods(client: TestClient) -> None:
    response = client.post("/openapi.json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
