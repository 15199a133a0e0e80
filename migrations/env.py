"""Alembic environment: URL from app settings, metadata from the SQLModel tables.

The settings are the environment's (`alembic upgrade head`), or the ones a caller passes
in `config.attributes["settings"]` (`flask db ...`, app/infra/migrations.py): one source
for the URL either way. `render_as_batch` lets ALTER-style migrations run on SQLite
(copy-and-move) as well as PostgreSQL. A caller may pass a ready connection in
`config.attributes["connection"]` (tests do, to migrate an isolated schema).
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import app.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from app.infra.db import check_database, make_engine
from app.settings import Settings

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _settings() -> Settings:
    given = config.attributes.get("settings")
    return given if isinstance(given, Settings) else Settings()


def _render_item(type_: str, obj: Any, _autogen_context: AutogenContext) -> str | Literal[False]:
    """Autogenerate would write the app's column types (`app.infra.column_types.EnumText`) by a
    module path the revision does not import, with arguments it cannot reproduce: write
    the plain SQL type they store as instead (`sa.String(length=16)`), like the
    hand-written revisions do."""
    if (
        type_ == "type"
        and isinstance(obj, TypeDecorator)
        and type(obj).__module__.startswith("app.")
    ):
        return f"sa.{obj.impl_instance!r}"
    return False  # the default rendering


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_settings().database.url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    settings = _settings()
    check_database(settings)  # one line and the fix, not a traceback, when it is unusable
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                # Batch migrations rebuild tables (copy, drop, rename); with foreign keys on,
                # dropping a parent would cascade-delete its children. The pragma only takes
                # effect outside a transaction, so set it before Alembic begins one.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
