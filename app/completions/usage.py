"""Reports over `ai_usage`: a user's use per UTC day and model with today's quota, and the
admin's totals (per model, heaviest users, cache hit rate, error rate). Aggregated in SQL
(SQLAlchemy Core `select`: SQLModel's typed `select` takes only a few columns). Also the
starting point of a daily budget counter (`usage_on`, bound by the composition root)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, case, func, select
from sqlmodel import col

from app.accounts.principal import Principal
from app.ai.budget_store import MICROS
from app.ai.gateway import AIGateway
from app.ai.quota import today_window
from app.completions.models import AIUsage
from app.infra.db import Database, UnitOfWork

MICRO = Decimal("0.000001")
TOP_USERS = 20


def _money(value: Any) -> str:
    return f"{Decimal(str(value or 0)).quantize(MICRO):.6f}"


def _day_of(uow: UnitOfWork) -> Any:
    """The UTC date of `created_at`, in the backend's SQL."""
    if uow.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", col(AIUsage.created_at)))
    return func.date(col(AIUsage.created_at))  # SQLite stores UTC text


def _since(days: int) -> datetime:
    start, _ = today_window()
    return start - timedelta(days=days - 1)


def _totals() -> list[Any]:
    """Requests, tokens, the sum of the known costs, and how many rows have no price
    (their cost is unknown, not 0: SUM skips NULL)."""
    return [
        func.count().label("requests"),
        func.coalesce(func.sum(col(AIUsage.prompt_tokens)), 0).label("prompt_tokens"),
        func.coalesce(func.sum(col(AIUsage.completion_tokens)), 0).label("completion_tokens"),
        func.coalesce(func.sum(col(AIUsage.cost_usd)), 0).label("cost_usd"),
        func.sum(case((col(AIUsage.cost_usd).is_(None), 1), else_=0)).label("unpriced"),
    ]


def _totals_out(row: Any) -> dict[str, Any]:
    return {
        "requests": int(row.requests),
        "prompt_tokens": int(row.prompt_tokens),
        "completion_tokens": int(row.completion_tokens),
        "cost_usd": _money(row.cost_usd),
        "unpriced_requests": int(row.unpriced or 0),
    }


@dataclass(frozen=True)
class QuotaStatus:
    """Today's budget: settled usage, what calls in flight (or never settled) hold, and
    the limits (0 = none). used + reserved is what the caps compare with."""

    limit: int
    used_today: int
    reserved: int
    usd_limit: Decimal
    usd_used_today: Decimal
    usd_reserved: Decimal
    resets_at: datetime


def usage_for(
    uow: UnitOfWork, principal: Principal, gateway: AIGateway, *, days: int
) -> tuple[list[dict[str, Any]], QuotaStatus]:
    day = _day_of(uow).label("day")
    cached = func.sum(case((col(AIUsage.cached), 1), else_=0)).label("cached_requests")
    failed = func.sum(case((col(AIUsage.outcome) != "ok", 1), else_=0)).label("failed")
    rows = uow.session.execute(
        select(day, col(AIUsage.provider), col(AIUsage.model), cached, failed, *_totals())
        .where(col(AIUsage.user_id) == principal.user_id, col(AIUsage.created_at) >= _since(days))
        .group_by(day, col(AIUsage.provider), col(AIUsage.model))
        .order_by(day.desc(), col(AIUsage.provider), col(AIUsage.model))
    ).all()
    out = [
        {
            "day": row.day if isinstance(row.day, date) else date.fromisoformat(str(row.day)),
            "provider": row.provider,
            "model": row.model,
            "cached_requests": int(row.cached_requests or 0),
            "failed_requests": int(row.failed or 0),
            **_totals_out(row),
        }
        for row in rows
    ]
    used, cost = used_today(uow, principal.user_id)
    uow.release()
    standing = gateway.budget.standing(principal)
    return out, QuotaStatus(
        limit=standing.token_limit,
        used_today=used,
        reserved=max(0, standing.tokens - used),
        usd_limit=standing.usd_limit,
        usd_used_today=cost,
        usd_reserved=max(Decimal(0), standing.usd - cost),
        resets_at=standing.resets_at,
    )


def used_today(uow: UnitOfWork, user_id: int) -> tuple[int, Decimal]:
    """Tokens and dollars of the user's calls that ended since midnight UTC."""
    start, _ = today_window()
    tokens = col(AIUsage.prompt_tokens) + col(AIUsage.completion_tokens)
    used, cost = uow.session.execute(
        select(
            func.coalesce(func.sum(tokens), 0), func.coalesce(func.sum(col(AIUsage.cost_usd)), 0)
        ).where(col(AIUsage.user_id) == user_id, col(AIUsage.created_at) >= start)
    ).one()
    return int(used), Decimal(str(cost)).quantize(MICRO)


def stats(uow: UnitOfWork, *, days: int) -> dict[str, Any]:
    since = _since(days)
    window = col(AIUsage.created_at) >= since
    session = uow.session
    totals = session.execute(
        select(
            *_totals(),
            func.sum(case((col(AIUsage.cached), 1), else_=0)).label("hits"),
            func.sum(case((col(AIUsage.outcome) != "ok", 1), else_=0)).label("errors"),
        ).where(window)
    ).one()
    requests = int(totals.requests)
    per_model = session.execute(
        select(col(AIUsage.provider), col(AIUsage.model), *_totals())
        .where(window)
        .group_by(col(AIUsage.provider), col(AIUsage.model))
        .order_by(col(AIUsage.provider), col(AIUsage.model))
    ).all()
    tokens = func.sum(col(AIUsage.prompt_tokens) + col(AIUsage.completion_tokens)).cast(Integer)
    per_user = session.execute(
        select(col(AIUsage.user_id), *_totals())
        .where(window)
        .group_by(col(AIUsage.user_id))
        .order_by(tokens.desc(), col(AIUsage.user_id))
        .limit(TOP_USERS)
    ).all()
    return {
        "since": since,
        "totals": _totals_out(totals),
        "cache_hit_rate": round(int(totals.hits or 0) / requests, 4) if requests else 0.0,
        "error_rate": round(int(totals.errors or 0) / requests, 4) if requests else 0.0,
        "per_model": [
            {"provider": r.provider, "model": r.model, **_totals_out(r)} for r in per_model
        ],
        "per_user": [{"user_id": r.user_id, **_totals_out(r)} for r in per_user],
    }


def usage_on(db: Database, scope: str, day: date) -> tuple[int, int]:
    """What the usage rows of `scope` hold for `day`: the counter's starting point."""
    kind, _, ident = scope.partition(":")
    owner = col(AIUsage.user_id) if kind == "user" else col(AIUsage.api_key_id)
    start = datetime.combine(day, time(), tzinfo=UTC)
    with db.unit_of_work() as uow:
        tokens, cost = uow.session.execute(
            select(
                func.coalesce(
                    func.sum(col(AIUsage.prompt_tokens) + col(AIUsage.completion_tokens)), 0
                ),
                func.coalesce(func.sum(col(AIUsage.cost_usd)), 0),
            ).where(
                owner == int(ident),
                col(AIUsage.created_at) >= start,
                col(AIUsage.created_at) < start + timedelta(days=1),
            )
        ).one()
    return int(tokens), int(Decimal(str(cost)) * MICROS)
