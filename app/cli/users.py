"""`flask users ...`: account administration from the command line.

Uses the same services as the API, so the same rules apply (password policy, unique
email, never zero active admins). Errors exit non-zero with a one-line message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from app.core.errors import AppError
from app.core.parsing import parse_body
from app.core.resources import Resources
from app.models import Role
from app.services import users
from generated import models as api

ROLE_CHOICE = click.Choice([r.value for r in Role])
PASSWORD_OPTION = click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for (hidden) when omitted.",
)


@contextmanager
def _session() -> Iterator[tuple[Session, Resources]]:
    resources: Resources = current_app.extensions["app_resources"]
    with resources.db.session() as session:
        try:
            yield session, resources
        except AppError as exc:
            detail = f": {exc.detail}" if exc.detail else ""
            fields = "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors or [])
            raise click.ClickException(
                f"{exc.code}{detail}" + (f" ({fields})" if fields else "")
            ) from None


def _create(email: str, password: str, full_name: str, role: str) -> None:
    with _session() as (session, res):
        # The generated request model carries the spec's rules (email pattern, lengths).
        req = parse_body(
            api.RegisterRequest, {"email": email, "password": password, "full_name": full_name}
        )
        user = users.create_user(
            session,
            res.auth.passwords,
            email=req.email,
            password=req.password,
            full_name=req.full_name,
            role=Role(role),
        )
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@click.group("users")
def users_cli() -> None:
    """Manage user accounts."""


@users_cli.command("create")
@click.argument("email")
@PASSWORD_OPTION
@click.option("--full-name", required=True)
@click.option("--role", type=ROLE_CHOICE, default=Role.USER.value, show_default=True)
@with_appcontext
def create(email: str, password: str, full_name: str, role: str) -> None:
    """Create a user."""
    _create(email, password, full_name, role)


@users_cli.command("create-admin")
@click.argument("email")
@PASSWORD_OPTION
@click.option("--full-name", default="Administrator", show_default=True)
@with_appcontext
def create_admin(email: str, password: str, full_name: str) -> None:
    """Create an admin (e.g. the first one)."""
    _create(email, password, full_name, Role.ADMIN.value)


def _by_email(action: Callable[[Session, int], Any], email: str, done: str) -> None:
    with _session() as (session, _):
        user = users.get_by_email(session, email)
        assert user.id is not None
        action(session, user.id)
    click.echo(f"{done} {user.email}")


@users_cli.command("change-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@with_appcontext
def change_role(email: str, role: str) -> None:
    """Give a user another role."""
    _by_email(lambda s, uid: users.admin_update(s, uid, role=role), email, f"role {role} for")


@users_cli.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate(email: str) -> None:
    """Deactivate a user (their tokens stop working; the data stays)."""
    _by_email(lambda s, uid: users.admin_update(s, uid, is_active=False), email, "deactivated")


@users_cli.command("list")
@click.option("--role", type=ROLE_CHOICE, default=None)
@with_appcontext
def list_(role: str | None) -> None:
    """List users, 100 per page, oldest first."""
    with _session() as (session, _):
        page, shown = 1, 0
        click.echo(f"{'id':>6}  {'role':<8}  {'active':<6}  email")
        while True:
            result = users.list_users(
                session, page=page, size=100, sort="id", order="asc", role=role
            )
            for u in result.items:
                click.echo(
                    f"{u.id:>6}  {u.role:<8}  {'yes' if u.is_active else 'no':<6}  {u.email}"
                )
            shown += len(result.items)
            if page >= result.pages:
                break
            page += 1
        click.echo(f"{shown} user(s)")
