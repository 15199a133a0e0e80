"""Reading the audit trail (writing it is `app.audit.trail`): newest first by default, with
the id breaking ties in the same direction, so equal timestamps keep a stable order."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from app.audit.models import AuditAction, AuditEvent
from app.errors import InvalidInputError, field_error
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult, paginate

SORTABLE = {"occurred_at": AuditEvent.occurred_at, "id": AuditEvent.id}


def list_events(
    uow: UnitOfWork,
    request: PageRequest,
    *,
    actor_id: int | None = None,
    action: AuditAction | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> PageResult[AuditEvent]:
    """A page of events with `since <= occurred_at < until`; an inverted window is a 422
    `invalid_time_range` (a mistake worth reporting, unlike an empty window)."""
    if since is not None and until is not None and until < since:
        raise InvalidInputError(
            "`until` is before `since`.",
            code="invalid_time_range",
            errors=[field_error("query", "until", "Must not be before `since`.")],
        )
    if request.sort not in SORTABLE:
        raise InvalidInputError(
            f"Cannot sort by {request.sort!r}.",
            code="invalid_parameter",
            errors=[field_error("query", "sort", f"Must be one of: {', '.join(SORTABLE)}.")],
        )
    statement = select(AuditEvent)
    if actor_id is not None:
        statement = statement.where(AuditEvent.actor_id == actor_id)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    if since is not None:
        statement = statement.where(col(AuditEvent.occurred_at) >= since)
    if until is not None:
        statement = statement.where(col(AuditEvent.occurred_at) < until)
    columns = [col(SORTABLE[request.sort]), col(AuditEvent.id)][: 1 if request.sort == "id" else 2]
    order_by = [c.asc() if request.order == "asc" else c.desc() for c in columns]
    return paginate(uow.session, statement, page=request.page, size=request.size, order_by=order_by)
