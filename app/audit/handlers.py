"""Handlers for the `admin` tag: the audit trail."""

from __future__ import annotations

from typing import Any

from app.audit import service as audit
from app.audit.mapping import audit_event_out
from app.http.envelope import HandlerResponse
from app.http.handler_context import unit_of_work
from app.http.pages import list_query, page_response
from generated import models as api


def list_audit_events(**query: Any) -> HandlerResponse:
    page, filters = list_query(query, "actor_id", "action", datetimes=("since", "until"))
    result = audit.list_events(unit_of_work(), page, **filters)
    return page_response(api.AuditEventPageEnvelope, result, audit_event_out)
