"""Every rate-limited operation documents what limiting adds: a 429 and the X-RateLimit-*
headers on each of its responses (so Schemathesis and SDKs expect them); unlimited ones
(the probes) declare no 429 of the limiter's."""

from __future__ import annotations

from typing import Any

from app.contract.rate_limit_table import build_table
from app.contract.spec import load_spec, operations

HEADERS = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_limited_operations_declare_429_and_the_headers_on_every_response() -> None:
    spec = load_spec()
    table = build_table(spec, {})
    missing = []
    for method, path, op in operations(spec):
        if op["operationId"] not in table.by_operation:
            continue
        responses = op["responses"]
        if "429" not in responses:
            missing.append(f"{method.upper()} {path}: no 429")
        for status, response in responses.items():
            headers = set(_resolve(spec, response).get("headers", {}))
            if not headers >= HEADERS:
                missing.append(f"{method.upper()} {path} {status}: {sorted(HEADERS - headers)}")
    assert not missing, "\n".join(missing)


def test_the_headers_are_optional_and_integers() -> None:
    headers = load_spec()["components"]["headers"]
    for name in ("RateLimitLimit", "RateLimitRemaining", "RateLimitReset"):
        assert headers[name].get("required", False) is False  # absent when fail-open
        assert headers[name]["schema"]["type"] == "integer"


def test_probes_are_unlimited() -> None:
    table = build_table(load_spec(), {})
    assert table.limit_for("getHealth", "anonymous") is None
    assert table.limit_for("getLiveness", "anonymous") is None
