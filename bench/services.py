"""PostgreSQL, Redis and the environment every server of a run shares."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.rate_limits import generous_overrides_env

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


class ServiceError(RuntimeError):
    pass


@dataclass(frozen=True)
class Backends:
    pg_host: str
    pg_port: int
    pg_user: str
    database: str
    redis_url: str
    key_prefix: str

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg2://{self.pg_user}@{self.pg_host}:{self.pg_port}/{self.database}"


def ensure_database(b: Backends) -> None:
    """Create the database with createdb when missing, then migrate it to head."""
    admin_url = make_url(b.database_url).set(database="postgres")
    engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": b.database}
            ).first()
    except Exception as exc:
        msg = (
            f"PostgreSQL at {b.pg_host}:{b.pg_port} is unreachable ({type(exc).__name__}); "
            "start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
        raise ServiceError(msg) from exc
    finally:
        engine.dispose()
    if not exists:
        createdb = shutil.which("createdb")
        if createdb is None:
            raise ServiceError(f"database {b.database!r} is missing and createdb is not installed")
        argv = [createdb, "-h", b.pg_host, "-p", str(b.pg_port), "-U", b.pg_user, b.database]
        subprocess.run(argv, check=True, timeout=60)  # noqa: S603
    env = {**os.environ, "DATABASE_URL": b.database_url}
    subprocess.run(  # noqa: S603
        [str(BIN / "alembic"), "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


def check_redis(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        msg = (
            f"Redis at {url} is unreachable ({type(exc).__name__}); start it: redis-server "
            '--daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no'
        )
        raise ServiceError(msg) from exc
    finally:
        client.close()


def server_env(b: Backends, *, wsgi_threads: int | None) -> dict[str, str]:
    """The production shape: ENV=production, LOG_LEVEL=WARNING, PostgreSQL, Redis and a
    random signing secret (shared with the baselines, which verify the service's tokens)."""
    env = dict(os.environ)
    env.pop("WSGI_THREADS", None)
    env.update(
        {
            "ENV": "production",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": b.database_url,
            "REDIS_URL": b.redis_url,
            "REDIS_KEY_PREFIX": b.key_prefix,
            "JWT_SECRET": secrets.token_urlsafe(48),
            # One login serves the whole run; the lifetime does not change per-request work.
            "ACCESS_TOKEN_TTL_SECONDS": "86400",
            # Seeding registers and logs in every account from one address; the per-client
            # throttles would refuse it (they are not what the scenarios measure).
            "REGISTER_RATE_LIMIT_PER_CLIENT": "100000/hour",
            "LOGIN_RATE_LIMIT_PER_CLIENT": "100000/15 minutes",
            # The limiter runs on every request (its cost is part of what is measured),
            # with budgets no scenario reaches: one bench user far exceeds a user's limits.
            "RATE_LIMIT_OVERRIDES": generous_overrides_env(),
            # Completion scenarios spend far more than a user's daily token quota.
            "AI_DAILY_TOKENS_USER": "0",
            # As the README says: processes x (pool + overflow) under PostgreSQL's
            # max_connections (100 by default). The default (one connection per WSGI
            # thread, 64) overflows it with 2 processes at 256 connections.
            "DATABASE_POOL_SIZE": "20",
            "DATABASE_MAX_OVERFLOW": "20",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if wsgi_threads is not None:
        env["WSGI_THREADS"] = str(wsgi_threads)
    return env
