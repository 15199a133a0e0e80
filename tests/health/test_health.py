from typing import Any

from starlette.testclient import TestClient

from app.main import create_app
from generated.models import HealthEnvelope


def test_health_is_200_when_dependencies_are_up(client: TestClient, redis_url: str | None) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = HealthEnvelope.model_validate(response.json())
    assert body.success is True
    assert body.data.status == "ok"
    assert body.data.version == "1.0.0"
    checks = body.data.checks
    assert checks.database.status == "up"
    assert checks.database.latency_ms is not None
    assert checks.ai_service.status == "up"
    assert checks.ai_service.detail == "provider: fake; open streams: 0"
    if redis_url is None:
        assert checks.redis.status == "not_configured"
        assert checks.redis.required is False
    else:
        assert checks.redis.status == "up"
        assert checks.redis.required is True


def test_health_is_503_with_the_same_body_when_the_database_is_down(make_settings: Any) -> None:
    closed_port = "postgresql+psycopg2://postgres@127.0.0.1:1/nowhere"
    client = create_app(make_settings(database_url=closed_port)).test_client()
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    body = HealthEnvelope.model_validate(response.json())
    assert body.success is False
    assert body.data.status == "unavailable"
    assert body.data.checks.database.status == "down"
    assert body.data.checks.database.detail == "OperationalError"
    assert body.message == "Unavailable dependencies: database"
    assert "127.0.0.1:1" not in response.text  # no connection details leak


def test_health_is_503_when_a_configured_redis_is_down(make_settings: Any) -> None:
    client = create_app(make_settings(redis_url="redis://127.0.0.1:1/0")).test_client()
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    body = HealthEnvelope.model_validate(response.json())
    assert body.data.checks.redis.status == "down"
    assert body.data.checks.redis.required is True
    assert body.data.checks.database.status == "up"


def test_redis_not_configured_is_not_a_failure(make_settings: Any) -> None:
    client = create_app(make_settings(redis_url=None)).test_client()
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["data"]["checks"]["redis"]["status"] == "not_configured"


def test_liveness_does_no_io(make_settings: Any) -> None:
    # Every dependency points at a closed port, yet liveness answers.
    settings = make_settings(
        database_url="postgresql+psycopg2://postgres@127.0.0.1:1/x",
        redis_url="redis://127.0.0.1:1/0",
    )
    response = create_app(settings).test_client().get("/api/v1/health/live")
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "message": "alive",
        "data": {"status": "alive"},
        "warnings": [],
    }


def test_health_rejects_unknown_query_parameters(client: TestClient) -> None:
    response = client.get("/api/v1/health?verbose=1")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"
    assert response.json()["errors"] == [
        {"location": "query", "field": "verbose", "message": "Unknown query parameter."}
    ]
