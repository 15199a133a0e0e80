"""Swagger UI and the spec are served, from local files (no CDN)."""

import copy
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from app.contract.bundle import bundle
from app.contract.spec import SPEC_PATH, load_spec
from app.http import docs_routes
from app.http.docs_routes import SWAGGER_UI_CONFIG, SWAGGER_UI_DIR
from app.main import create_app
from app.settings import Settings


def test_root_redirects_to_docs(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/docs"


def test_docs_renders_swagger_ui(client: TestClient) -> None:
    response = client.get("/docs")  # follows the redirect to the versioned UI
    assert response.status_code == 200
    assert "swagger-ui" in response.text
    assert "/api/v1/openapi.json" in response.text
    # Assets come from this process (vendored swagger-ui-dist), not a CDN.
    assert "unpkg" not in response.text
    assert "cdn" not in response.text.lower()
    assert not re.findall(r'(?:src|href)="(?!\./)', response.text), "only relative assets"
    bundle = client.get("/api/v1/docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.content) > 100_000
    for asset in re.findall(r'(?:src|href)="\./([^"]+)"', response.text):
        assert client.get(f"/api/v1/docs/{asset}").status_code == 200, asset


def test_swagger_ui_5_is_vendored_as_pinned() -> None:
    # scripts/vendor_swagger_ui.py writes the files and the pin; nobody edits them by hand.
    pin = json.loads((SWAGGER_UI_DIR / "swagger-ui-dist.json").read_text())
    assert pin["package"] == "swagger-ui-dist"
    assert pin["version"].startswith("5.")
    for name, digest in pin["files"].items():
        assert hashlib.sha256((SWAGGER_UI_DIR / name).read_bytes()).hexdigest() == digest, name
    bundle = (SWAGGER_UI_DIR / "swagger-ui-bundle.js").read_text()
    assert f'"{pin["version"]}"' in bundle
    # Apache-2.0 asks for the license and NOTICE to travel with the files.
    assert "Apache License" in (SWAGGER_UI_DIR / "LICENSE").read_text()
    assert {"NOTICE", "swagger-ui-bundle.js.LICENSE.txt"} <= set(pin["files"])


def test_the_page_configures_the_operators_console(client: TestClient) -> None:
    html = client.get("/api/v1/docs/").text
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    config = json.loads(re.search(r"\.\.\.(\{.*?\})", script).group(1))  # type: ignore[union-attr]
    assert config == SWAGGER_UI_CONFIG
    assert {
        "deepLinking": True,
        "persistAuthorization": True,
        "displayRequestDuration": True,
        "filter": True,
        "tryItOutEnabled": True,
        "docExpansion": "list",
        "displayOperationId": True,
        "validatorUrl": None,  # the default badge calls an outside host
    }.items() <= config.items()
    assert '"/api/v1/openapi.json"' in script


@pytest.mark.parametrize("prefix", ["", "/api/v1"])
def test_openapi_json_and_yaml_are_the_bundled_spec(
    client: TestClient, root_dir: Path, prefix: str
) -> None:
    spec = load_spec()
    as_json = client.get(f"{prefix}/openapi.json")
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json() == spec
    as_yaml = client.get(f"{prefix}/openapi.yaml")
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    # Byte for byte the committed bundle that SDK generators and other tools read.
    assert as_yaml.text == (root_dir / "generated/openapi.yaml").read_text()
    assert yaml.safe_load(as_yaml.text) == spec


def test_served_spec_keeps_named_components(client: TestClient) -> None:
    # Swagger UI and code generators show and name models after `#/components/...` refs.
    served = client.get("/api/v1/openapi.json").json()
    get_me = served["paths"]["/users/me"]["get"]["responses"]["200"]
    schema = get_me["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/UserEnvelope"}


def test_building_the_app_leaves_the_spec_untouched(settings: Settings) -> None:
    spec = load_spec()
    before = copy.deepcopy(spec)
    create_app(settings)
    assert spec == before
    assert spec == bundle(SPEC_PATH)


def test_docs_routes_reject_other_methods(client: TestClient) -> None:
    response = client.post("/openapi.json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_spec_is_rendered_on_first_use_not_at_startup(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rendering the YAML at startup cost ~0.1 s of cold start for a route few requests take.
    rendered: list[int] = []
    real_dump = docs_routes.dump

    def counting_dump(spec: dict[str, Any]) -> str:
        rendered.append(1)
        return real_dump(spec)

    monkeypatch.setattr(docs_routes, "dump", counting_dump)
    app = create_app(settings)
    assert rendered == []
    with TestClient(app) as client:
        first = client.get("/openapi.yaml")
        again = client.get("/api/v1/openapi.yaml")
    assert first.status_code == again.status_code == 200
    assert first.text == again.text
    assert rendered == [1]
