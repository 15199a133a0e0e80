"""Where the suite's database and Redis come from, and how each run is isolated.

- DATABASE_URL set (PostgreSQL): each test session migrates a fresh schema of its own
  (`search_path` in the URL) and drops it at the end, so concurrent runs never meet.
- DATABASE_URL unset: a SQLite file in the session's temp dir (the embedded default).
- REDIS_URL set: used as is; keys are namespaced per run where features write any.
- A URL that is set but unreachable fails the run (never a silent skip); with CI=true an
  unset URL fails too, because CI must exercise the real services.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


class ServiceUnavailableError(RuntimeError):
    """A required test service is unreachable: a failure, not a skip."""


def require_ci_services() -> None:
    if not IN_CI:
        return
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        msg = f"CI=true but {', '.join(missing)} not set: CI must run on PostgreSQL and Redis"
        raise ServiceUnavailableError(msg)


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL") or None
    if url is not None:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        try:
            client.ping()
        except redis.RedisError as exc:
            msg = f"REDIS_URL={url} is unreachable ({type(exc).__name__}); start Redis"
            raise ServiceUnavailableError(msg) from exc
        finally:
            client.close()
    return url


def delete_redis_keys(client: redis.Redis, pattern: str) -> None:
    """Delete this run's keys only (SCAN, never FLUSHDB: the Redis may be shared)."""
    batch = list(client.scan_iter(match=pattern, count=500))
    if batch:
        client.delete(*batch)


def _with_search_path(url: URL, schema: str) -> str:
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def migrate(database_url: str) -> None:
    """Run every Alembic migration against `database_url`."""
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["skip_logging"] = True
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


@contextmanager
def isolated_database(tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of a freshly migrated, private database; remove it afterwards."""
    raw = os.environ.get("DATABASE_URL") or None
    if raw is None:
        url = f"sqlite:///{tmp_dir / 'test.db'}"
        migrate(url)
        yield url
        return

    base = make_url(raw)
    if not base.drivername.startswith("postgresql"):
        yield raw  # another backend: use as given
        return
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        msg = f"DATABASE_URL is unreachable ({type(exc).__name__}); start PostgreSQL"
        raise ServiceUnavailableError(msg) from exc
    try:
        url = _with_search_path(base, schema)
        migrate(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
