"""Handlers for the `health` tag."""

from __future__ import annotations

from app.health.mapping import health_out
from app.health.service import HealthCheck
from app.http.envelope import HandlerResponse, respond
from app.http.handler_context import get
from generated.models import HealthEnvelope, Liveness, LivenessEnvelope


def get_health() -> HandlerResponse:
    report = get(HealthCheck)()
    if report.down:
        message = f"Unavailable dependencies: {', '.join(report.down)}"
        return respond(
            HealthEnvelope, health_out(report), status=503, message=message, success=False
        )
    if report.status == "degraded":
        message = "Degraded: the rate limiter's storage is down"
        return respond(HealthEnvelope, health_out(report), message=message)
    return respond(HealthEnvelope, health_out(report), message="All dependencies are up")


def get_liveness() -> HandlerResponse:
    return respond(LivenessEnvelope, Liveness(status="alive"), message="alive")
