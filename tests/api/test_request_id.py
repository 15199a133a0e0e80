"""X-Request-ID: honoured when well-formed, replaced otherwise, echoed everywhere."""

import json
import logging

import pytest
from starlette.testclient import TestClient

from tests.asgi import raw_call


def test_generated_when_absent(client: TestClient) -> None:
    first = client.get("/api/v1/health/live").headers["x-request-id"]
    second = client.get("/api/v1/health/live").headers["x-request-id"]
    assert len(first) == 32
    assert first != second


def test_well_formed_id_is_echoed(client: TestClient) -> None:
    response = client.get("/api/v1/health/live", headers={"X-Request-ID": "trace-1.2:3_4"})
    assert response.headers["x-request-id"] == "trace-1.2:3_4"


@pytest.mark.parametrize(
    "bad", ["x" * 201, "x" * 129, "has space", "semi;colon", "<script>", "a\tb"]
)
def test_malformed_id_is_replaced(client: TestClient, bad: str) -> None:
    response = client.get("/api/v1/health/live", headers={"X-Request-ID": bad})
    assert response.status_code == 200
    echoed = response.headers["x-request-id"]
    assert echoed != bad
    assert len(echoed) == 32


def test_id_with_newline_is_replaced(app) -> None:
    # httpx refuses to send a newline in a header, so speak raw ASGI.
    bad = b"abc\r\nX-Injected: 1"
    status, headers, _ = raw_call(app, "GET", "/api/v1/health/live", [(b"x-request-id", bad)])
    assert status == 200
    assert headers[b"x-request-id"] != bad
    assert len(headers[b"x-request-id"]) == 32
    assert b"x-injected" not in headers


def test_problem_bodies_carry_the_same_id(client: TestClient) -> None:
    response = client.get("/api/v1/missing", headers={"X-Request-ID": "req-404"})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "req-404"
    assert response.json()["request_id"] == "req-404"


def test_every_response_carries_api_version(client: TestClient) -> None:
    for path in ("/api/v1/health/live", "/api/v1/missing", "/openapi.json"):
        assert client.get(path).headers["api-version"] == "1.0.0"


def test_access_log_line_is_json_with_the_required_fields(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        client.get("/api/v1/health/live", headers={"X-Request-ID": "log-me-1"})
    records = [r for r in caplog.records if r.name == "app.access"]
    assert records, "no access log line"
    # Render it with the formatter the app installed on the root handler.
    formatter = logging.getLogger().handlers[0].formatter
    assert formatter is not None
    line = json.loads(formatter.format(records[-1]))
    assert line["request_id"] == "log-me-1"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/health/live"
    assert line["operation_id"] == "getLiveness"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "info"
    assert "timestamp" in line
