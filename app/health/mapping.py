"""The readiness report as its wire model."""

from __future__ import annotations

from app.health.service import AIServiceHealth, HealthReport
from generated import models as api


def health_out(report: HealthReport) -> api.Health:
    checks: dict[str, api.DependencyHealth | api.AIServiceHealth] = {
        name: api.DependencyHealth(
            status=dep.status,
            latency_ms=dep.latency_ms,
            required=dep.required,
            detail=dep.detail,
        )
        for name, dep in report.checks.items()
    }
    ai = report.checks["ai_service"]
    if isinstance(ai, AIServiceHealth):
        checks["ai_service"] = api.AIServiceHealth(
            status=ai.status,
            latency_ms=ai.latency_ms,
            required=ai.required,
            detail=ai.detail,
            breakers=[
                api.BreakerState(
                    provider=b.provider,
                    state=b.state,
                    failures=b.failures,
                    retry_after_s=b.retry_after_s,
                )
                for b in ai.breakers
            ],
        )
    return api.Health(
        status=report.status, version=report.version, checks=api.HealthChecks(**checks)
    )
