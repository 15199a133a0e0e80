"""Handlers for the `admin` tag: the audit trail."""

from __future__ import annotations

from typing import Literal

from app.audit import service as audit
from app.audit.mapping import audit_event_out
from app.audit.models import AuditAction
from app.http.envelope import HandlerResponse, respond
from app.http.handler_context import unit_of_work
from app.http.links import link_header
from app.http.pages import page_out
from app.http.parsing import query_datetime
from app.infra.pagination import PageRequest
from generated import models as api


def list_audit_events(
    *,
    page: int = 1,
    size: int = 20,
    sort: str = "occurred_at",
    order: Literal["asc", "desc"] = "desc",
    actor_id: int | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> HandlerResponse:
    result = audit.list_events(
        unit_of_work(),
        PageRequest(page=page, size=size, sort=sort, order=order),
        actor_id=actor_id,
        action=AuditAction(action) if action is not None else None,
        since=query_datetime("since", since),
        until=query_datetime("until", until),
    )
    data = page_out(result, [audit_event_out(e) for e in result.items])
    return respond(
        api.AuditEventPageEnvelope, data, headers=link_header(page=result.page, pages=result.pages)
    )
