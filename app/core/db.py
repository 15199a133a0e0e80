"""Database engine and sessions. One engine per process; one session per request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, make_url, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

from app.settings import Settings


def make_engine(settings: Settings) -> Engine:
    """Create the engine with pre-ping, bounded connect time and SQLite pragmas."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if settings.is_sqlite:
        _ensure_sqlite_dir(settings.database_url)
        kwargs["connect_args"] = {
            "check_same_thread": False,
            "timeout": settings.database_connect_timeout_seconds,
        }
    else:
        kwargs["pool_size"] = settings.database_pool_size
        kwargs["max_overflow"] = settings.database_pool_size
        kwargs["pool_timeout"] = settings.database_connect_timeout_seconds
        kwargs["connect_args"] = {
            "connect_timeout": max(1, round(settings.database_connect_timeout_seconds))
        }
    engine = create_engine(settings.database_url, **kwargs)
    if settings.is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _ensure_sqlite_dir(url: str) -> None:
    """The embedded default lives under var/, which a fresh clone does not have."""
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """Owns the engine and the session factory; created once at startup."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, class_=Session, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error (maintenance code and
        tests; request handlers use request_session() and services commit themselves)."""
        with self._sessions() as session, session.begin():
            yield session

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
