"""Batch completions: several requests, at most `concurrency` at a time, one outcome per
request in input order (a failure is that request's outcome, not the batch's).

Each request runs in its own unit of work (a session belongs to one thread) through the
same completion service as single requests, so usage, cache, repair and warnings are the
same. A batch whose worst case (each request's prompt estimate plus its max_tokens) cannot
fit in today's budget is refused before anything runs; each item then reserves its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import structlog

from app.accounts.principal import Principal
from app.ai.gateway import AIGateway
from app.completions import service as completions
from app.completions.models import AIUsage
from app.errors import DomainError, UnavailableError
from app.infra.db import Database

log = structlog.get_logger(__name__)
OPERATION = "batch"  # usage rows of batch items


@dataclass(frozen=True)
class BatchOutcome:
    index: int
    result: completions.CompletionResult | None = None
    error: DomainError | None = None
    # The usage rows the item wrote (every attempt, also when it failed; a cache hit: 0).
    usage: list[AIUsage] = field(default_factory=list)

    @property
    def tokens(self) -> tuple[int, int]:
        return (
            sum(u.prompt_tokens for u in self.usage),
            sum(u.completion_tokens for u in self.usage),
        )

    @property
    def cost_usd(self) -> Decimal | None:
        """Every attempt's cost; None when one of them had no known price."""
        costs = [u.cost_usd for u in self.usage]
        if any(c is None for c in costs):
            return None
        return sum((c for c in costs if c is not None), Decimal(0))


def _check_batch_quota(
    principal: Principal,
    gateway: AIGateway,
    requests: Sequence[completions.CompletionInput],
) -> None:
    """Refuse at once a batch whose worst case cannot fit in what is left today (each item
    still reserves its own worst case when it runs, so the cap holds either way)."""
    tokens = micros = 0
    for request in requests:
        try:
            worst = completions.worst_case(gateway, principal, request)
        except DomainError:
            continue  # that item fails on its own
        tokens, micros = tokens + worst[0], micros + worst[1]
    gateway.budget.check_fits(principal, tokens=tokens, micros=micros, what="This batch")


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
    _check_batch_quota(principal, gateway, runnable)

    def one(index: int, request: completions.CompletionInput | DomainError) -> BatchOutcome:
        if isinstance(request, DomainError):
            return BatchOutcome(index, error=request)
        usage: list[AIUsage] = []
        try:
            with db.unit_of_work() as uow:
                result = completions.complete(
                    uow,
                    principal,
                    gateway,
                    request,
                    default_max_tokens=default_max_tokens,
                    request_id=request_id,
                    operation=OPERATION,
                    usage_sink=usage,
                )
        except DomainError as exc:
            return BatchOutcome(index, error=exc, usage=usage)
        except Exception as exc:  # a saturated pool, a database blip: this item's failure
            log.error("batch_item_failed", index=index, error=type(exc).__name__)
            error = UnavailableError("This request could not be run.")
            return BatchOutcome(index, error=error, usage=usage)
        return BatchOutcome(index, result=result, usage=usage)

    workers = max(1, min(concurrency, len(runnable)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ai-batch") as pool:
        return list(pool.map(one, range(len(requests)), requests))
