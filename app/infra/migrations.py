"""Alembic through its Python API, on the database the settings name.

`flask db ...` and `flask deploy prepare` use this; `alembic upgrade head` (`make migrate`)
reads the same settings from the environment, so both reach the same database. The
settings travel to `migrations/env.py` in `Config.attributes["settings"]`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import Connection, MetaData, make_url

from app.infra.db import make_engine
from app.settings import ROOT_DIR, Settings

ALEMBIC_INI = ROOT_DIR / "alembic.ini"
VERSIONS_DIR = ROOT_DIR / "migrations" / "versions"
_NUMBERED = re.compile(r"\d{4}")


class MigrationError(Exception):
    """Alembic refused (unknown revision, nothing to downgrade, database not at head...)."""


@dataclass(frozen=True)
class Revision:
    id: str
    down: tuple[str, ...]
    message: str
    is_head: bool


@dataclass(frozen=True)
class MigrationState:
    current: tuple[str, ...]
    heads: tuple[str, ...]

    @property
    def at_head(self) -> bool:
        return set(self.current) == set(self.heads)


class Migrations:
    """Migration commands for one database (the settings' DATABASE_URL)."""

    def __init__(self, settings: Settings, *, version_path: Path | None = None) -> None:
        self.settings = settings
        self.version_path = version_path
        self.config = Config(str(ALEMBIC_INI))
        # The app configures logging; alembic.ini's logging is for the `alembic` command.
        self.config.attributes["skip_logging"] = True
        self.config.attributes["settings"] = settings
        if version_path is not None:
            # A revision may be written elsewhere (e.g. for review) only if Alembic also
            # reads from there; the chain itself stays in migrations/versions.
            locations = [str(VERSIONS_DIR), str(version_path)]
            self.config.set_main_option("version_locations", os.pathsep.join(locations))
        self.script = ScriptDirectory.from_config(self.config)

    def ping(self) -> None:
        """Reach the database (one short-lived connection, like every call here: a
        one-shot deploy step holds at most one connection at a time)."""
        with self._connection() as conn:
            conn.exec_driver_sql("SELECT 1")

    def connection_limit(self) -> tuple[int, int] | None:
        """PostgreSQL's `max_connections` and how many of them ordinary roles cannot use
        (superuser_reserved_connections, and PostgreSQL 16's reserved_connections); None
        for a database without a connection limit (SQLite)."""
        with self._connection() as conn:
            if conn.dialect.name != "postgresql":
                return None
            row = conn.exec_driver_sql(
                "SELECT current_setting('max_connections')::int, "
                "current_setting('superuser_reserved_connections')::int "
                "+ coalesce(current_setting('reserved_connections', true), '0')::int"
            ).one()
        return int(row[0]), int(row[1])

    def state(self) -> MigrationState:
        """The database's revision(s) and the code's head(s)."""
        with self._connection() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
        return MigrationState(tuple(current), tuple(self.script.get_heads()))

    def upgrade(self, revision: str = "head") -> MigrationState:
        with _alembic_errors():
            command.upgrade(self.config, revision)
        return self.state()

    def downgrade(self, revision: str = "-1") -> MigrationState:
        with _alembic_errors():
            command.downgrade(self.config, revision)
        return self.state()

    def history(self) -> list[Revision]:
        """Every revision, newest first."""
        heads = set(self.script.get_heads())
        return [
            Revision(
                id=script.revision,
                down=_as_tuple(script.down_revision),
                message=(script.doc or "").strip(),
                is_head=script.revision in heads,
            )
            for script in self.script.walk_revisions()
        ]

    def autogenerate(self, message: str) -> Path | None:
        """Write a revision with what the models have and the database lacks (the database
        must be at head); None when there is no difference (no empty revision is written)."""
        empty = False

        def skip_empty(_context: Any, _revision: Any, directives: list[MigrationScript]) -> None:
            nonlocal empty
            ops = directives[0].upgrade_ops
            if ops is None or ops.is_empty():
                empty = True
                directives[:] = []

        with _alembic_errors():
            written = command.revision(
                self.config,
                message=message,
                autogenerate=True,
                rev_id=self._next_rev_id(),
                version_path=str(self.version_path) if self.version_path else None,
                process_revision_directives=skip_empty,
            )
        if empty or written is None or isinstance(written, list):
            return None
        return Path(written.path)

    def drop_everything(self) -> list[str]:
        """Drop every table of the database (its schema, on PostgreSQL), Alembic's too."""
        with self._connection() as conn:
            metadata = MetaData()
            with conn.begin():
                metadata.reflect(conn)
                metadata.drop_all(conn)
            names = sorted(metadata.tables)
        return names

    def _next_rev_id(self) -> str | None:
        """Revisions are numbered 0001, 0002, ...: the next number after a numbered head."""
        heads = self.script.get_heads()
        if len(heads) == 1 and _NUMBERED.fullmatch(heads[0]):
            return f"{int(heads[0]) + 1:04d}"
        return None  # Alembic's random id

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        engine = make_engine(self.settings)
        try:
            with engine.connect() as conn:
                if conn.dialect.name == "sqlite":
                    # As in migrations/env.py: dropping a parent table must not cascade.
                    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                    conn.commit()
                yield conn
        finally:
            engine.dispose()


def safe_url(settings: Settings) -> str:
    """The database URL without its password, for messages."""
    return make_url(settings.database.url).render_as_string(hide_password=True)


def describe_error(exc: BaseException) -> str:
    """A database error in one line: its class and the driver's first line (which names
    the host, never the password)."""
    orig = getattr(exc, "orig", None)
    first = str(orig or "").strip().splitlines()
    return f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__


@contextmanager
def _alembic_errors() -> Iterator[None]:
    try:
        yield
    except (CommandError, RevisionError) as exc:
        raise MigrationError(str(exc)) from exc


def _as_tuple(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
