"""Pre-deployment checks (`flask deploy prepare TARGET`): is this configuration, with these
services, fit for the target? One result per check; any `fail` refuses the deployment.

What differs per target (`local`, `staging`, `production`):

| check | local | staging | production |
|---|---|---|---|
| `ENV` | any | warn unless `production` | fail unless `production` |
| JWT secret is the dev default | warn | fail | fail |
| database is SQLite | ok | warn | fail |
| `REDIS_URL` unset | ok | warn | fail |
| AI provider is `fake` | ok | ok | warn |
| `METRICS_TOKEN` unset | ok | ok | warn |

Everywhere: the database answers, it is at the migrations' head, its `max_connections`
holds every process's pool (the API's `GUNICORN_WORKERS`, `make worker` when jobs go to
Celery, and a few spare for migrations and the CLI), Redis answers when set, every
configured AI provider has its keys. Secrets are never part of a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import redis
from sqlalchemy.exc import SQLAlchemyError

from app.ai.gateway import AIGateway
from app.infra.migrations import MigrationError, Migrations, describe_error, safe_url
from app.settings import DEFAULT_JWT_SECRET, Settings, missing_ai_settings

Target = Literal["local", "staging", "production"]
TARGETS: tuple[Target, ...] = ("local", "staging", "production")
Outcome = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    outcome: Outcome
    detail: str


def _by_target(target: Target, *, local: Outcome, staging: Outcome, production: Outcome) -> Outcome:
    return {"local": local, "staging": staging, "production": production}[target]


def check_env(settings: Settings, target: Target) -> Check:
    if settings.env == "production" or target == "local":
        return Check("env", "ok", f"ENV={settings.env}")
    outcome = _by_target(target, local="ok", staging="warn", production="fail")
    return Check(
        "env",
        outcome,
        f"ENV={settings.env}; {target} runs with ENV=production "
        "(production guards on, response validation off)",
    )


def check_jwt(settings: Settings, target: Target) -> Check:
    if settings.auth.jwt_algorithm != "HS256":
        return Check("jwt", "ok", f"{settings.auth.jwt_algorithm} key files readable")
    secret = settings.auth.jwt_secret.get_secret_value()
    if secret == DEFAULT_JWT_SECRET:
        outcome = _by_target(target, local="warn", staging="fail", production="fail")
        return Check("jwt", outcome, "JWT_SECRET is the development default; set your own")
    return Check("jwt", "ok", f"HS256 secret set ({len(secret.encode())} bytes)")


def check_database(settings: Settings, target: Target, error: Exception | None) -> Check:
    """`error`: what pinging the database raised, if anything."""
    if error is not None:
        return Check(
            "database", "fail", f"{safe_url(settings)} unreachable ({describe_error(error)})"
        )
    if settings.database.is_sqlite:
        outcome = _by_target(target, local="ok", staging="warn", production="fail")
        if outcome != "ok":
            return Check(
                "database",
                outcome,
                "SQLite (the embedded mode: one machine, one writer); "
                "set DATABASE_URL to PostgreSQL",
            )
    return Check("database", "ok", f"{safe_url(settings)} reachable")


def check_migrations(migrations: Migrations, *, migrate: bool) -> Check:
    try:
        before = migrations.state()
        after = migrations.upgrade("head") if migrate and not before.at_head else before
    except MigrationError as exc:
        return Check("migrations", "fail", f"upgrade failed: {exc}")
    except (SQLAlchemyError, OSError) as exc:
        return Check("migrations", "fail", f"database error ({describe_error(exc)})")
    if not after.at_head:
        return Check(
            "migrations",
            "fail",
            f"database at {_revs(after.current)}, code at {_revs(after.heads)}: "
            "run `flask db upgrade` (or prepare with --migrate)",
        )
    if after != before:
        return Check(
            "migrations", "ok", f"upgraded {_revs(before.current)} -> {_revs(after.heads)}"
        )
    return Check("migrations", "ok", f"at head ({_revs(after.heads)})")


# Connections kept free for a migration, a CLI command and an operator's psql session.
SPARE_CONNECTIONS = 3


def check_connections(settings: Settings, limit: tuple[int, int] | None) -> Check:
    """Processes x (pool + overflow) against the server's limit. `limit`: PostgreSQL's
    max_connections and its reserved slots (None: no limit, e.g. SQLite)."""
    per_process = settings.pool_size + settings.pool_overflow
    processes = settings.serving.workers + (1 if settings.jobs_use_celery else 0)
    who = f"GUNICORN_WORKERS={settings.serving.workers}"
    if settings.jobs_use_celery:
        who += " + 1 `make worker`"
    sizing = (
        f"{who} x (pool {settings.pool_size} + overflow {settings.pool_overflow}) "
        f"= {processes * per_process}"
    )
    if limit is None:
        return Check("connections", "ok", f"{sizing}; no server connection limit")
    max_connections, reserved = limit
    usable = max_connections - reserved - SPARE_CONNECTIONS
    server = f"max_connections {max_connections} - {reserved} reserved - {SPARE_CONNECTIONS} spare"
    if processes * per_process <= usable:
        return Check("connections", "ok", f"{sizing} of {usable} usable ({server})")
    fits = usable // processes
    overflow = min(settings.pool_overflow, fits // 4)
    return Check(
        "connections",
        "fail",
        f"{sizing} exceeds {usable} usable ({server}): set DATABASE_POOL_SIZE + "
        f"DATABASE_MAX_OVERFLOW to at most {fits} per process (e.g. DATABASE_POOL_SIZE="
        f"{max(1, fits - overflow)} DATABASE_MAX_OVERFLOW={overflow}), lower GUNICORN_WORKERS, "
        f"or raise max_connections to {processes * per_process + reserved + SPARE_CONNECTIONS}"
        " (with several replicas, count each)",
    )


def check_redis(target: Target, client: redis.Redis | None) -> Check:
    if client is None:
        outcome = _by_target(target, local="ok", staging="warn", production="fail")
        why = "" if outcome == "ok" else ": lockouts, revocations, limits and caches per process"
        return Check("redis", outcome, f"REDIS_URL not set (in-process fallbacks){why}")
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return Check("redis", "fail", f"unreachable ({type(exc).__name__})")
    return Check("redis", "ok", "reachable")


def check_ai(settings: Settings, target: Target) -> Check:
    providers = sorted({provider for provider, _model in settings.ai.allowed_pairs})
    missing = {p: missing_ai_settings(settings.ai, p) for p in providers}
    if any(missing.values()):
        named = "; ".join(f"{p} needs {', '.join(m)}" for p, m in missing.items() if m)
        return Check("ai", "fail", named)
    default = f"{settings.ai.provider}:{settings.ai.default_model}"
    if settings.ai.provider == "fake":
        outcome = _by_target(target, local="ok", staging="ok", production="warn")
        return Check("ai", outcome, f"{default} (canned answers, no provider key needed)")
    return Check("ai", "ok", f"{default}; keys set for {', '.join(providers)}")


def check_ai_reachable(ai: AIGateway) -> Check:
    """A warning at most: /health does not require the provider either."""
    known = ai.health()
    if known.reachable:
        return Check("ai_service", "ok", f"{known.provider} reachable")
    return Check(
        "ai_service",
        "warn",
        f"{known.provider} unreachable or rejected the credentials (AI requests would fail)",
    )


def check_metrics(settings: Settings, target: Target) -> Check:
    if settings.observability.metrics_token is not None:
        return Check("metrics", "ok", "GET /metrics needs METRICS_TOKEN")
    outcome = _by_target(target, local="ok", staging="ok", production="warn")
    return Check("metrics", outcome, "METRICS_TOKEN not set: GET /metrics is open")


def prepare_checks(
    *,
    settings: Settings,
    target: Target,
    redis_client: redis.Redis | None,
    ai: AIGateway,
    migrations: Migrations,
    migrate: bool,
) -> list[Check]:
    """Every check, in order. With `migrate`, the database is upgraded to head only when
    every other check passed (a refused deployment changes nothing)."""
    db_error = _ping(migrations)
    checks = [
        check_env(settings, target),
        check_jwt(settings, target),
        check_database(settings, target, db_error),
        check_redis(target, redis_client),
        check_ai(settings, target),
        check_ai_reachable(ai),
        check_metrics(settings, target),
    ]
    if db_error is not None:
        checks.append(Check("migrations", "fail", "not checked: the database is unreachable"))
        return checks
    checks.append(check_connections(settings, migrations.connection_limit()))
    others_pass = all(c.outcome != "fail" for c in checks)
    checks.append(check_migrations(migrations, migrate=migrate and others_pass))
    if migrate and not others_pass:
        checks.append(Check("migrate", "warn", "not run: fix the failures above first"))
    return checks


def _ping(migrations: Migrations) -> Exception | None:
    try:
        migrations.ping()
    except (SQLAlchemyError, OSError) as exc:
        return exc
    return None


def _revs(revisions: tuple[str, ...]) -> str:
    return ", ".join(revisions) or "base (empty)"
