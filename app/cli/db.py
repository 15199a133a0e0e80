"""`flask db ...`: database chores. `seed demo` loads idempotent demo data.

The rest of the seed's `db` group (migrate, upgrade, downgrade, reset) arrives with the
operations work; until then `make migrate` runs Alembic.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.errors import DomainError
from app.services import demo
from app.services.container import EXTENSION_KEY, Services

SEEDS = ("demo",)


@click.group("db")
def db_cli() -> None:
    """Database chores (seed data)."""


@db_cli.command("seed")
@click.argument("name", type=click.Choice(SEEDS))
@with_appcontext
def seed(name: str) -> None:
    """Load a named data set; safe to run again (creates only what is missing).

    `demo`: an admin, a user and a readonly account, items, and documents in every status.
    """
    svc: Services = current_app.extensions[EXTENSION_KEY]
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
