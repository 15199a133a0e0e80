"""Database engine and units of work. One engine per process; one unit of work per request,
CLI command or task.

A unit of work holds one SQLAlchemy session that checks out a pooled connection only while
a transaction is open. On PostgreSQL, reads outside a write run in autocommit: each
statement is one round trip, with no BEGIN before it and no COMMIT after it. The answers are
the ones the implicit transaction gave under READ COMMITTED, where each statement reads its
own snapshot anyway; under load each round trip also waits for the GIL. (SQLite's driver
begins no transaction for a read in the first place.) Writes go through `transaction()`, a
real transaction that commits or rolls back in one place; `release()` gives the connection
back before slow I/O (an LLM call), so no pooled connection waits on a provider.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

from app.errors import InvalidInputError
from app.infra.db_errors import DatabaseUnusableError, explain
from app.settings import Settings

# Recycle connections older than this instead of pinging before every checkout: a dropped
# connection is still detected on use (SQLAlchemy invalidates the pool on a disconnect
# error), so one request sees a 503 and the next one reconnects.
POOL_RECYCLE_SECONDS = 1800


def make_engine(settings: Settings) -> Engine:
    """Create the engine with bounded connect time, no pre-ping and SQLite pragmas."""
    kwargs: dict[str, Any] = {"pool_recycle": POOL_RECYCLE_SECONDS}
    try:
        database = make_url(settings.database.url).database
    except ArgumentError as exc:  # not a database URL at all: one line, not a traceback
        raise DatabaseUnusableError(explain(exc, settings.database.url) or str(exc)) from None
    memory = settings.database.is_sqlite and database in (None, "", ":memory:")
    if not memory:  # an in-memory SQLite database lives in one connection: no pool sizing
        kwargs["pool_size"] = settings.pool_size
        kwargs["max_overflow"] = settings.pool_overflow
        kwargs["pool_timeout"] = settings.database.connect_timeout_seconds
    if settings.database.is_sqlite:
        _ensure_sqlite_dir(settings.database.url)
        kwargs["connect_args"] = {
            "check_same_thread": False,
            "timeout": settings.database.connect_timeout_seconds,
        }
    else:
        kwargs["connect_args"] = {
            "connect_timeout": max(1, round(settings.database.connect_timeout_seconds))
        }
    try:
        dialect = make_url(settings.database.url).get_dialect()
        if _autocommit_driver(dialect.name, dialect.driver):
            # The autocommit reads end with a rollback that has nothing to undo; psycopg
            # still gives up the GIL for it (a wait to get it back under load).
            kwargs["skip_autocommit_rollback"] = True
        engine = create_engine(settings.database.url, **kwargs)
    except (ModuleNotFoundError, NoSuchModuleError, ArgumentError) as exc:
        # A driver that is not installed, or not a database URL: one line, not a traceback.
        raise DatabaseUnusableError(explain(exc, settings.database.url) or str(exc)) from None
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    if reads_autocommit(engine):
        event.listen(engine, "checkin", _end_autocommit)
    if settings.database.is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def reads_autocommit(engine: Engine) -> bool:
    """Whether units of work read in autocommit: drivers whose `autocommit` switch is
    client-side (psycopg2, psycopg), so turning it on and off costs no round trip.
    SQLAlchemy's `isolation_level="AUTOCOMMIT"` would send a SET on every check-in."""
    return _autocommit_driver(engine.dialect.name, engine.dialect.driver)


def _autocommit_driver(name: str, driver: str) -> bool:
    return name == "postgresql" and driver in ("psycopg2", "psycopg")


def _end_autocommit(dbapi_connection: Any, _record: Any) -> None:
    """Every connection goes back to the pool transactional, whoever switched it."""
    if dbapi_connection is not None and dbapi_connection.autocommit:
        dbapi_connection.autocommit = False


def check_database(settings: Settings) -> None:
    """Connect once, at startup: raise DatabaseUnusableError (a SystemExit with one line and
    the fix) when the database cannot be used for a reason `db_errors.explain` knows."""
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except DBAPIError as exc:
        message = explain(exc, settings.database.url)
        if message is None:
            raise
        raise DatabaseUnusableError(message) from None
    finally:
        engine.dispose()


def _refuse_nul(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _ctx: Any, executemany: bool
) -> None:
    """Last line of defence: PostgreSQL text cannot hold U+0000 (psycopg2 raises a bare
    ValueError, a 500), and SQLite would store it silently. Inputs are refused at the edge
    (spec patterns, credential shapes); a NUL that still gets here is a 422, on every backend.
    """
    if any(isinstance(v, str) and "\x00" in v for v in _values(parameters, executemany)):
        raise InvalidInputError(
            "A text value contains a NUL character (U+0000), which cannot be stored."
        )


def _values(parameters: Any, executemany: bool) -> Iterator[Any]:
    """Every bound value. An executemany passes one set per row, except SQLAlchemy's
    "insertmanyvalues" (several rows in one INSERT ... RETURNING), which passes the whole
    batch as one set: a flat tuple (SQLite) or one dict of `name__0`, `name__1`, ...
    (psycopg2), with `executemany` still true."""
    one_set = not executemany or isinstance(parameters, Mapping)
    for row in (parameters,) if one_set else parameters:
        if isinstance(row, Mapping):
            yield from row.values()
        elif isinstance(row, (list, tuple)):
            yield from row
        else:
            yield row


def _ensure_sqlite_dir(url: str) -> None:
    """The embedded default lives under var/, which a fresh clone does not have."""
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _fold(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite's lower() folds ASCII only. Case-insensitive search (`ilike`, which SQLAlchemy
    # compiles to lower(x) LIKE lower(y) here) must fold every script, as ILIKE does on
    # PostgreSQL, so the embedded default and production answer the same query alike.
    dbapi_connection.create_function("lower", 1, _fold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class UnitOfWork:
    """One session, opened lazily; the owner (request, command, task) closes it at the end."""

    def __init__(self, factory: sessionmaker[Session], *, autocommit_reads: bool = False) -> None:
        self._factory = factory
        self._autocommit_reads = autocommit_reads
        self._session: Session | None = None
        self._depth = 0

    @property
    def session(self) -> Session:
        """The session for reads (autocommit) and, inside `transaction()`, for writes."""
        if self._session is None:
            self._session = self._factory()
        if self._autocommit_reads and self._depth == 0 and not self._session.in_transaction():
            self._session.connection().connection.dbapi_connection.autocommit = True  # type: ignore[union-attr]
        return self._session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write: commit when the block succeeds, roll back on any error.

        Nested blocks join the outermost one, so a service can compose others' writes. The
        outermost one turns the reads' connection transactional: what it writes, changes
        made to loaded objects before it included, commits or rolls back as one.
        """
        if self._session is None:
            self._session = self._factory()
        session = self._session
        if self._depth == 0 and self._autocommit_reads and session.in_transaction():
            dbapi = session.connection().connection.dbapi_connection
            if dbapi is not None and dbapi.autocommit:
                dbapi.autocommit = False  # client-side: the next statement sends BEGIN
        self._depth += 1
        try:
            yield session
            if self._depth == 1:
                session.commit()
        except BaseException:
            if self._depth == 1:
                session.rollback()
            raise
        finally:
            self._depth -= 1

    def insert(self, row: Any) -> None:
        """Write one row with no relationships, alone: a single INSERT is atomic by itself,
        so where reads are autocommit it runs without BEGIN and COMMIT (one round trip, not
        three). Inside a `transaction()` it joins that transaction."""
        pending = self._session is not None and bool(
            self._session.new or self._session.dirty or self._session.deleted
        )
        if not self._autocommit_reads or self._depth or pending:
            with self.transaction() as session:
                session.add(row)
            return
        session = self.session
        try:
            session.add(row)
            session.flush()
        except BaseException:
            session.rollback()
            raise
        self.release()

    def release(self) -> None:
        """End the open read transaction and return its connection to the pool.

        Loaded objects stay usable (no expiry). Call it before slow I/O; the next query
        checks out a connection again.
        """
        session = self._session
        if session is None or not session.in_transaction():
            return
        if session.new or session.dirty or session.deleted:
            msg = "release() with unsaved changes: write inside transaction()"
            raise RuntimeError(msg)
        session.commit()

    def close(self) -> None:
        """Roll back anything left open and return the connection."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class Database:
    """Owns the engine and the session factory; created once at startup."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, class_=Session, expire_on_commit=False)
        self._autocommit_reads = reads_autocommit(engine)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self._sessions, autocommit_reads=self._autocommit_reads)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A one-off write outside any request (maintenance code and tests)."""
        with self.unit_of_work() as uow, uow.transaction() as session:
            yield session

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
