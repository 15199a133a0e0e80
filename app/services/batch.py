"""Batch completions: several requests, at most `concurrency` at a time, one outcome per
request in input order (a failure is that request's outcome, not the batch's).

Each request runs in its own unit of work (a session belongs to one thread) through the
same completion service as single requests, so usage, cache, repair and warnings are the
same. The daily quota is checked once for the whole batch before anything runs, from each
request's prompt estimate plus its max_tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import structlog

from app.ai.errors import AIQuotaExceededError
from app.ai.gateway import AIGateway
from app.ai.providers.base import estimate_tokens
from app.ai.quota import Quota, today_window
from app.auth.principal import Principal
from app.errors import DomainError, UnavailableError
from app.infra.db import Database
from app.services import ai_usage, completions

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class BatchOutcome:
    index: int
    result: completions.CompletionResult | None = None
    error: DomainError | None = None


def _check_batch_quota(
    db: Database,
    principal: Principal,
    gateway: AIGateway,
    requests: Sequence[completions.CompletionInput],
    default_max_tokens: int,
) -> None:
    limit = gateway.limits.daily_tokens.get(principal.role.value, 0)
    if not limit:
        return
    estimate = sum(
        estimate_tokens("".join(m.content for m in r.messages))
        + (r.max_tokens or default_max_tokens)
        for r in requests
    )
    with db.unit_of_work() as uow:
        used = ai_usage.tokens_today(uow, principal.user_id)
    _, reset = today_window()
    quota = Quota(limit=limit, used=used + estimate, resets_at=reset)
    if quota.exhausted:
        raise AIQuotaExceededError(
            f"This batch may use about {estimate} tokens; {max(0, limit - used)} of the daily "
            f"quota of {limit} are left. It resets at "
            f"{reset.isoformat().replace('+00:00', 'Z')}.",
            retry_after=quota.retry_after,
        )


def run_batch(
    db: Database,
    principal: Principal,
    gateway: AIGateway,
    requests: Sequence[completions.CompletionInput | DomainError],
    *,
    concurrency: int,
    default_max_tokens: int,
    request_id: str | None = None,
) -> list[BatchOutcome]:
    """`requests` may hold errors already (an item that could not even be built); they are
    that item's outcome."""
    runnable = [r for r in requests if isinstance(r, completions.CompletionInput)]
    _check_batch_quota(db, principal, gateway, runnable, default_max_tokens)

    def one(index: int, request: completions.CompletionInput | DomainError) -> BatchOutcome:
        if isinstance(request, DomainError):
            return BatchOutcome(index, error=request)
        try:
            with db.unit_of_work() as uow:
                result = completions.complete(
                    uow,
                    principal,
                    gateway,
                    request,
                    default_max_tokens=default_max_tokens,
                    request_id=request_id,
                    check_quota=False,
                )
        except DomainError as exc:
            return BatchOutcome(index, error=exc)
        except Exception as exc:  # a saturated pool, a database blip: this item's failure
            log.error("batch_item_failed", index=index, error=type(exc).__name__)
            return BatchOutcome(index, error=UnavailableError("This request could not be run."))
        return BatchOutcome(index, result=result)

    workers = max(1, min(concurrency, len(runnable)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ai-batch") as pool:
        return list(pool.map(one, range(len(requests)), requests))
