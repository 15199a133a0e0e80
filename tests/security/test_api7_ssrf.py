"""OWASP API7:2023 Server Side Request Forgery.

No operation takes a URL (or host, endpoint, callback, webhook) from the caller: the spec
has no such parameter or body property anywhere. Outbound HTTP leaves the app only
through the provider SDKs, to the base URLs the operator configured; nothing in app/
imports a general HTTP or socket client. The model a request may choose is bounded by an
allow-list, so it cannot steer a call elsewhere either.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.auth_helpers import Account
from tests.problems import assert_problem
from tests.security.spec_walk import BASE, OPERATIONS, SPEC

APP = Path(__file__).resolve().parents[2] / "app"
URLISH = re.compile(
    r"(^|_)(url|uri|urls|href|link|host|hostname|endpoint|callback|webhook)s?$", re.I
)
# Modules that open connections to a caller-chosen place if given one.
NETWORK_CLIENTS = {
    "httpx",
    "requests",
    "urllib3",
    "urllib.request",
    "http.client",
    "aiohttp",
    "socket",
    "smtplib",
    "ftplib",
    "pycurl",
    "websockets",
}
PROVIDER_SDKS = {"openai", "anthropic"}
# Network modules used for something other than a request out, each with why.
LISTENING_ONLY = {
    # `python -m app` and gunicorn's master bind their own HOST:PORT once before serving,
    # to say the port is taken.
    "app/serving/ports.py": {"socket"},
    # MCP tool calls go to this same app in process (httpx.ASGITransport): no socket opens.
    "app/mcp/dispatch.py": {"httpx"},
}


def _named(node: Any, where: str, seen: frozenset[str], found: list[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref not in seen:
                section, name = ref.split("/")[-2:]
                _named(SPEC["components"][section][name], where, seen | {ref}, found)
            return
        if node.get("format") in ("uri", "url", "uri-reference", "hostname", "iri"):
            found.append(f"{where}: format {node['format']}")
        for name, prop in node.get("properties", {}).items():
            if URLISH.search(name):
                found.append(f"{where}.{name}")
            _named(prop, f"{where}.{name}", seen, found)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                _named(node[key], f"{where}.{key}", seen, found)
        for key in ("allOf", "oneOf", "anyOf"):
            for part in node.get(key, []):
                _named(part, where, seen, found)


def test_no_operation_takes_a_url_from_the_caller() -> None:
    found: list[str] = []
    for method, path, op in OPERATIONS:
        where = f"{method} {path}"
        params = [*SPEC["paths"][path].get("parameters", []), *op.get("parameters", [])]
        for param in params:
            if "$ref" in param:
                section, name = param["$ref"].split("/")[-2:]
                param = SPEC["components"][section][name]  # noqa: PLW2901
            if URLISH.search(param["name"]):
                found.append(f"{where} parameter {param['name']}")
            _named(param.get("schema", {}), f"{where} {param['name']}", frozenset(), found)
        body = op.get("requestBody")
        if body:
            for media, content in body["content"].items():
                _named(content["schema"], f"{where} {media}", frozenset(), found)
    assert found == []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_outbound_http_only_through_the_provider_sdks() -> None:
    general: dict[str, set[str]] = {}
    sdks: dict[str, set[str]] = {}
    for path in sorted(APP.rglob("*.py")):
        where = str(path.relative_to(APP.parent))
        imported = _imports(path)
        hits = {
            m
            for m in imported
            if m in NETWORK_CLIENTS
            or m.split(".")[0] in {"httpx", "requests", "aiohttp", "urllib3"}
        }
        if hits:
            general[where] = hits
        used = {m for m in imported if m.split(".")[0] in PROVIDER_SDKS}
        if used:
            sdks[where] = used
    assert general == LISTENING_ONLY
    assert sdks, "the scan found no provider SDK: is it looking at app/?"
    assert all(where.startswith("app/ai/") for where in sdks), sdks


def test_the_model_cannot_point_a_call_elsewhere(client: TestClient, member: Account) -> None:
    for model in ("http://169.254.169.254/latest/meta-data", "//127.0.0.1:6379", "fake-1@evil"):
        response = client.post(
            f"{BASE}/ai/completions",
            json={"prompt": "x", "provider": "fake", "model": model},
            headers=member.headers,
        )
        assert response.status_code in (400, 422), response.text
        assert response.json()["code"] in ("unsupported_model", "validation_error")
    other = client.post(
        f"{BASE}/ai/completions",
        json={"prompt": "x", "provider": "openai", "model": "gpt-4o-mini"},
        headers=member.headers,
    )
    assert_problem(other, 400, "unsupported_model")  # not configured: not reachable
