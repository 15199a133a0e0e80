"""Apps for CLI tests that change or break the database: each on a database of its own.

`own_app` builds the real app on a freshly migrated private database (a PostgreSQL schema,
or a SQLite file), so downgrades and resets never touch the session's database or another
run's; `cli` invokes a `flask` command on an app with Click's CliRunner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import connexion
from click.testing import Result
from sqlalchemy import create_engine, text

from app.main import create_app
from app.settings import Settings
from tests.live_server import free_port
from tests.services import isolated_database

MakeSettings = Callable[..., Settings]


def cli(app: connexion.FlaskApp, *args: str) -> Result:
    return app.app.test_cli_runner().invoke(args=list(args))


@contextmanager
def app_with(make_settings: MakeSettings, **overrides: Any) -> Iterator[connexion.FlaskApp]:
    """The real app on the given settings; its pools are closed afterwards."""
    app = create_app(make_settings(**overrides))
    try:
        yield app
    finally:
        app.app.extensions["app_services"].close()


@contextmanager
def own_app(
    make_settings: MakeSettings, tmp_path: Path, **overrides: Any
) -> Iterator[tuple[connexion.FlaskApp, str]]:
    """The app on a private database at head, and that database's URL."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    with (
        isolated_database(tmp_path) as url,
        app_with(make_settings, database_url=url, **overrides) as app,
    ):
        yield app, url


def version(url: str) -> str | None:
    """The database's Alembic revision, read directly."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return str(found) if found is not None else None
    finally:
        engine.dispose()


def unreachable_database_url(password: str = "s3cret-pw") -> str:
    """PostgreSQL on a local port nobody listens on (connection refused at once)."""
    return f"postgresql+psycopg2://app:{password}@127.0.0.1:{free_port()}/app"


def unreachable_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"
