"""`flask users ...`: account administration from the command line.

Uses the same services as the API, so the same rules apply (password policy, unique
email, never zero active admins). Errors exit non-zero with a one-line message that names
the command-line argument at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from pydantic import ValidationError

from app.accounts.models import Role
from app.audit.trail import CLI, AuditTrail
from app.container import EXTENSION_KEY, Services
from app.errors import DomainError
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest
from app.users import service as users
from generated import models as api

ROLE_CHOICE = click.Choice([r.value for r in Role])
PASSWORD_OPTION = click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for (hidden) when omitted.",
)
# Who acts from the command line: the operator at the shell, recorded as actor kind `cli`.
CLI_TRAIL = AuditTrail(CLI)
# Request fields -> the argument or option a CLI user typed.
_ARGUMENT_NAMES = {"email": "EMAIL", "password": "--password", "full_name": "--full-name"}


def _services() -> Services:
    svc: Services = current_app.extensions[EXTENSION_KEY]
    return svc


def _argument_problem(error: Any) -> str:
    field = str(error["loc"][0]) if error["loc"] else "arguments"
    name = _ARGUMENT_NAMES.get(field, field)
    message = error["msg"]
    if error["type"] == "string_pattern_mismatch":
        message = "not a valid email address" if field == "email" else "has an invalid format"
    # pydantic counts a secret's length in "items": say characters, as the API does.
    bound = {"too_short": "at least", "string_too_short": "at least"}.get(error["type"])
    bound = bound or {"too_long": "at most", "string_too_long": "at most"}.get(error["type"])
    if bound is not None:
        limit = error["ctx"].get("min_length", error["ctx"].get("max_length"))
        label = field.replace("_", " ").capitalize()
        unit = "character" if limit == 1 else "characters"
        return f"{label} must be {bound} {limit} {unit} ({name})"
    return f"{name}: {message}"


def _cli_error(exc: DomainError) -> click.ClickException:
    fields = "; ".join(
        f"{_ARGUMENT_NAMES.get(e['field'], e['field'])}: {e['message']}" for e in exc.errors or []
    )
    detail = fields or exc.detail or exc.code
    return click.ClickException(f"{detail} ({exc.code})")


@contextmanager
def _unit_of_work() -> Iterator[tuple[UnitOfWork, Services]]:
    svc = _services()
    with svc.db.unit_of_work() as uow:
        try:
            yield uow, svc
        except DomainError as exc:
            raise _cli_error(exc) from None


def _create(email: str, password: str, full_name: str, role: str) -> None:
    # The generated request model carries the spec's rules (email pattern, lengths).
    try:
        req = api.RegisterRequest.model_validate(
            {"email": email, "password": password, "full_name": full_name}
        )
    except ValidationError as exc:
        problems = "; ".join(_argument_problem(e) for e in exc.errors())
        raise click.ClickException(f"invalid arguments: {problems}") from None
    with _unit_of_work() as (uow, svc):
        user = users.create_user(
            uow,
            svc.auth,
            email=req.email,
            password=req.password.get_secret_value(),
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


def _by_email(action: Callable[[UnitOfWork, Services, int], Any], email: str, done: str) -> None:
    with _unit_of_work() as (uow, svc):
        user = users.get_by_email(uow, email)
        assert user.id is not None
        action(uow, svc, user.id)
    click.echo(f"{done} {user.email}")


@users_cli.command("change-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@with_appcontext
def change_role(email: str, role: str) -> None:
    """Give a user another role (ends their sessions)."""
    _by_email(
        lambda uow, svc, uid: users.admin_update(
            uow, svc.auth, uid, role=Role(role), audit=CLI_TRAIL
        ),
        email,
        f"role {role} for",
    )


@users_cli.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate(email: str) -> None:
    """Deactivate a user (their tokens and API keys stop working; the data stays)."""
    _by_email(
        lambda uow, svc, uid: users.admin_update(
            uow, svc.auth, uid, is_active=False, audit=CLI_TRAIL
        ),
        email,
        "deactivated",
    )


@users_cli.command("unlock")
@click.argument("email")
@with_appcontext
def unlock(email: str) -> None:
    """Lift a login lockout for an email (needs REDIS_URL, where the server keeps them)."""
    throttle = _services().auth.throttle
    if not throttle.shared:
        # Without Redis the counters live in each server process's memory, out of reach.
        raise click.ClickException(
            "login lockouts are kept in the server's memory when REDIS_URL is not set, "
            "so this command cannot reach them; restart the server to clear them"
        )
    email = email.strip().lower()
    throttle.unlock(email=email)
    click.echo(f"unlocked {email}")


@users_cli.command("list")
@click.option("--role", type=ROLE_CHOICE, default=None)
@with_appcontext
def list_(role: str | None) -> None:
    """List users, 100 per page, oldest first."""
    with _unit_of_work() as (uow, _):
        page, shown = 1, 0
        click.echo(f"{'id':>6}  {'role':<8}  {'active':<6}  email")
        while True:
            result = users.list_users(
                uow,
                PageRequest(page=page, size=100, sort="id", order="asc"),
                role=Role(role) if role else None,
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
