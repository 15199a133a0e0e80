"""Handlers for the `health` tag."""

from __future__ import annotations

from app.core.envelope import HandlerResponse, respond
from app.core.resources import current_resources
from app.services.health import check_health, down_dependencies
from generated.models import HealthEnvelope, Liveness, LivenessEnvelope


def get_health() -> HandlerResponse:
    res = current_resources()
    health = check_health(
        db=res.db,
        redis_client=res.redis,
        ai_provider=res.settings.ai_provider,
        version=res.api_version,
    )
    down = down_dependencies(health)
    if down:
        message = f"Unavailable dependencies: {', '.join(down)}"
        return respond(HealthEnvelope, health, status=503, message=message, success=False)
    return respond(HealthEnvelope, health, message="All dependencies are up")


def get_liveness() -> HandlerResponse:
    return respond(LivenessEnvelope, Liveness(status="alive"), message="alive")
