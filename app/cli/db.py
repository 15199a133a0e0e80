"""`flask db ...`: migrations (Alembic's Python API on the app's DATABASE_URL), seed data and
purging expired rows.

`alembic upgrade head` (`make migrate`) reads the same settings, so both reach the same
database. `migrate` writes no empty revision: with no difference it says so and exits 0.
`reset` drops every table, so it needs `--force`, and `--allow-production` too when
ENV=production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from app.cli import demo
from app.container import EXTENSION_KEY, Services
from app.errors import DomainError
from app.idempotency import purge as maintenance
from app.infra.db_errors import DatabaseUnusableError, explain
from app.infra.migrations import (
    MigrationError,
    Migrations,
    MigrationState,
    describe_error,
    safe_url,
)

SEEDS = ("demo",)
# Relative revisions such as `-1` are arguments, not unknown options.
_REVISION_ARGS = {"ignore_unknown_options": True}


def _services() -> Services:
    svc: Services = current_app.extensions[EXTENSION_KEY]
    return svc


@contextmanager
def _migrations(version_path: Path | None = None) -> Iterator[Migrations]:
    """Migrations on the app's database; Alembic's and the database's errors become one
    line and a non-zero exit."""
    settings = _services().settings
    try:
        yield Migrations(settings, version_path=version_path)
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from None
    except DatabaseUnusableError as exc:  # from migrations/env.py
        raise click.ClickException(str(exc)) from None
    except (SQLAlchemyError, OSError) as exc:
        raise click.ClickException(
            explain(exc, settings.database.url)
            or f"database {safe_url(settings)}: {describe_error(exc)}"
        ) from None


def _revs(revisions: tuple[str, ...]) -> str:
    return ", ".join(revisions) or "base (empty)"


def _moved(before: MigrationState, after: MigrationState) -> str:
    if before.current == after.current:
        return f"nothing to do: at {_revs(after.current)}"
    return f"{_revs(before.current)} -> {_revs(after.current)}"


@click.group("db")
def db_cli() -> None:
    """Migrations and seed data."""


@db_cli.command("upgrade", context_settings=_REVISION_ARGS)
@click.argument("revision", default="head")
@with_appcontext
def upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: head; relative: +1)."""
    with _migrations() as migrations:
        before = migrations.state()
        after = migrations.upgrade(revision)
    click.echo(f"upgraded {safe_url(migrations.settings)}: {_moved(before, after)}")


@db_cli.command("downgrade", context_settings=_REVISION_ARGS)
@click.argument("revision", default="-1")
@with_appcontext
def downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (default: -1, one step; `base`: everything)."""
    with _migrations() as migrations:
        before = migrations.state()
        after = migrations.downgrade(revision)
    click.echo(f"downgraded {safe_url(migrations.settings)}: {_moved(before, after)}")


@db_cli.command("migrate")
@click.option("-m", "--message", required=True, help="What the revision changes.")
@click.option(
    "--version-path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the file there (e.g. to review it first) instead of migrations/versions.",
)
@with_appcontext
def migrate(message: str, version_path: Path | None) -> None:
    """Autogenerate a revision from the models (the database must be at head)."""
    if not message.strip():
        raise click.BadParameter("must say what the revision changes", param_hint="'-m'")
    if version_path is not None:
        version_path.mkdir(parents=True, exist_ok=True)
    with _migrations(version_path) as migrations:
        written = migrations.autogenerate(message.strip())
    if written is None:
        click.echo("no changes: the models and the database agree; no revision written")
        return
    click.echo(f"wrote {written} (review it, then `flask db upgrade`)")


@db_cli.command("current")
@with_appcontext
def current() -> None:
    """Show the database's revision and whether it is at head."""
    with _migrations() as migrations:
        state = migrations.state()
    where = "at head" if state.at_head else f"behind or apart from head {_revs(state.heads)}"
    click.echo(f"{_revs(state.current)} ({where})")


@db_cli.command("history")
@with_appcontext
def history() -> None:
    """List the revisions, newest first (no database needed)."""
    with _migrations() as migrations:
        revisions = migrations.history()
    for rev in revisions:
        mark = " (head)" if rev.is_head else ""
        first_line = rev.message.splitlines()[0] if rev.message else ""
        click.echo(f"{_revs(rev.down)} -> {rev.id}{mark}: {first_line}")


@db_cli.command("reset")
@click.option("--force", is_flag=True, help="Required: every table and row is dropped.")
@click.option("--allow-production", is_flag=True, help="Also required when ENV=production.")
@with_appcontext
def reset(force: bool, allow_production: bool) -> None:
    """Drop every table, then upgrade to head (an empty, current database)."""
    settings = _services().settings
    if not force:
        raise click.ClickException(
            f"refusing to drop every table of {safe_url(settings)} without --force"
        )
    if settings.env == "production" and not allow_production:
        raise click.ClickException(
            "refusing to reset a database with ENV=production without --allow-production"
        )
    with _migrations() as migrations:
        dropped = migrations.drop_everything()
        after = migrations.upgrade("head")
    # Cached reads of the dropped rows, and completions cached per user id (ids restart).
    _services().cache.invalidate("*")
    _services().ai.cache.invalidate("ai:*")
    click.echo(
        f"reset {safe_url(settings)}: dropped {len(dropped)} table(s), "
        f"upgraded to {_revs(after.current)}"
    )
    if _services().redis is None:
        click.echo("no REDIS_URL: running servers keep their in-memory caches; restart them")


@db_cli.command("purge-expired")
@with_appcontext
def purge_expired() -> None:
    """Delete expired rows (idempotency keys past their 24 h) in batches; for a cron.

    The job reaper also purges a batch on each pass, so this is only needed where no
    reaper runs (no worker, API processes that never started one) or to catch up at once.
    """
    svc = _services()
    try:
        count = maintenance.purge_expired(svc.db)
    except (SQLAlchemyError, OSError) as exc:
        raise click.ClickException(
            f"database {safe_url(svc.settings)}: {describe_error(exc)}"
        ) from None
    click.echo(f"purged {count} expired idempotency key(s)")


@db_cli.command("seed")
@click.argument("name", type=click.Choice(SEEDS))
@with_appcontext
def seed(name: str) -> None:
    """Load a named data set; safe to run again (creates only what is missing).

    `demo`: an admin, a user and a readonly account, items, and documents in every status.
    """
    svc = _services()
    if svc.settings.env == "production":
        raise click.ClickException(
            "refusing to seed demo data with ENV=production: its passwords are public"
        )
    try:
        with svc.db.unit_of_work() as uow:
            report = demo.seed_demo(uow, svc.auth, cache=svc.cache)
    except DomainError as exc:
        raise click.ClickException(f"{exc.detail or exc.code} ({exc.code})") from None
    click.echo(
        f"seeded {name}: {report.items_created} item(s), "
        f"{report.documents_created} document(s) created"
    )
    click.echo("demo accounts (sign in with POST /api/v1/auth/login):")
    for seeded in report.accounts:
        account = seeded.account
        state = "created" if seeded.created else "exists"
        password = account.password if seeded.password_valid else "(changed since seeding)"
        click.echo(f"  {account.role:<8}  {account.email:<22}  {password:<24}  {state}")
