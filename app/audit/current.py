"""The audit trail of the request being handled, for handlers (services take the trail as
an argument and never read a request)."""

from __future__ import annotations

from app.audit.trail import ANONYMOUS, Actor, AuditTrail
from app.http.handler_context import caller, client_address, request_id


def audit_trail() -> AuditTrail:
    """The recorder for this request: the caller (anonymous on public operations), the
    request id and the client address."""
    principal = caller()
    return AuditTrail(
        actor=Actor.of(principal) if principal is not None else ANONYMOUS,
        request_id=request_id(),
        client=client_address(),
    )
