"""`Idempotency-Key` on a handler (IETF httpapi draft): the same key with the same body
replays the stored response (`Idempotent-Replayed: true`) without running the handler
again; the rules live in `app.idempotency.service`. Only 2xx responses are stored: after
a failure the key is released, so a retry with it runs again."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import flask
import structlog

from app.contract.routing import camel_case
from app.http.envelope import JSON_HEADERS
from app.http.handler_context import current_principal, unit_of_work
from app.idempotency import service as idempotency

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
# Response headers worth replaying (the rest are per response: request id, dates).
KEPT_HEADERS = ("Location",)
F = TypeVar("F", bound=Callable[..., Any])
log = structlog.get_logger(__name__)


def idempotent(handler: F) -> F:
    """Honour `Idempotency-Key` on `handler`. The operationId the fingerprint names is the
    handler's own, by the routing convention (`create_job` handles `createJob`), so it is
    never written twice."""
    operation = camel_case(handler.__name__)

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Any:
        key = flask.request.headers.get(HEADER)
        if key is None:
            return handler(*args, **kwargs)
        user_id = current_principal().user_id
        uow = unit_of_work()
        print_ = idempotency.fingerprint(operation, kwargs.get("body"))
        claim = idempotency.begin(uow, user_id, key, print_)
        if isinstance(claim, idempotency.Stored):
            headers = {**JSON_HEADERS, **claim.headers, REPLAYED: "true"}
            return claim.body, claim.status_code, headers
        try:
            result = handler(*args, **kwargs)
        except BaseException:
            _release(uow, user_id, key, claim)
            raise
        body, status, headers = result
        if 200 <= status < 300:
            kept = {k: v for k, v in headers.items() if k in KEPT_HEADERS}
            stored = idempotency.Stored(status, body, kept)
            try:
                idempotency.finish(uow, user_id, key, claim, stored)
            except Exception as exc:  # the work is done: answer it, lose only the replay
                log.error("idempotency_finish_failed", error=type(exc).__name__)
                _release(uow, user_id, key, claim)
        else:
            _release(uow, user_id, key, claim)
        return result

    run.idempotent_operation = operation  # type: ignore[attr-defined]  # for the tests
    return cast("F", run)


def _release(uow: Any, user_id: int, key: str, claim: idempotency.Claim) -> None:
    try:
        idempotency.release(uow, user_id, key, claim)
    except Exception as exc:  # the request's own error matters more
        # The claim then expires as stale (STALE_AFTER) instead.
        log.warning("idempotency_release_failed", error=type(exc).__name__)
