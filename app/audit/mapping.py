"""Audit events as wire models."""

from __future__ import annotations

from app.audit.models import AuditEvent
from generated import models as api


def audit_event_out(event: AuditEvent) -> api.AuditEvent:
    return api.AuditEvent.model_validate(event, from_attributes=True)
