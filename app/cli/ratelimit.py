"""`flask ratelimit reset KEY`: lift every limit of one caller.

KEY is written as the limiter keys callers: `user:42`, an email (that user's `user:<id>`;
API keys count against their owner, so this covers them too) or `ip:203.0.113.9`. Besides
the spec's rate limits on every operation, a user's login lockout (per email) and an
address's login lockout and registration throttle (per client) are lifted too. The
counters must live in Redis: with in-process memory they are in each server process,
out of this command's reach.
"""

from __future__ import annotations

import ipaddress

import click
from flask import current_app
from flask.cli import with_appcontext

from app.container import EXTENSION_KEY, Services
from app.errors import NotFoundError
from app.users import service as users

_OUT_OF_REACH = (
    "{} are kept in each server process's memory (no {}), so this command cannot reach "
    "them; restart the server to clear them"
)


@click.group("ratelimit")
def ratelimit_cli() -> None:
    """Rate limits declared in the spec (x-rate-limit)."""


def _key(svc: Services, raw: str) -> tuple[str, str | None]:
    """The limiter's key for what the operator typed, and the user's email for a user;
    ClickException when malformed or unknown."""
    kind, sep, value = raw.strip().partition(":")
    if sep and kind == "user" and value.isdigit() and value.isascii():
        with svc.db.unit_of_work() as uow:
            try:
                return f"user:{int(value)}", users.get_user(uow, int(value)).email
            except NotFoundError:
                raise click.ClickException(f"no user with the id {int(value)}") from None
    if sep and kind == "ip":
        try:
            return f"ip:{ipaddress.ip_address(value)}", None
        except ValueError:
            raise click.ClickException(f"not an IP address: {value!r}") from None
    if sep and kind == "key":
        raise click.ClickException(
            "API keys count against their owner's budget: reset user:<owner id> or the "
            "owner's email"
        )
    if not sep and "@" in raw:
        with svc.db.unit_of_work() as uow:
            try:
                user = users.get_by_email(uow, raw.strip())
                return f"user:{user.id}", user.email
            except NotFoundError:
                raise click.ClickException(f"no user with the email {raw.strip()!r}") from None
    raise click.ClickException(
        f"KEY must be user:<id>, ip:<address> or a user's email, not {raw!r}"
    )


@ratelimit_cli.command("reset")
@click.argument("key")
@with_appcontext
def reset(key: str) -> None:
    """Lift every limit of KEY: its rate limits on every operation and its login lockout
    (needs Redis storage)."""
    svc: Services = current_app.extensions[EXTENSION_KEY]
    resolved, email = _key(svc, key)
    limiter, throttle = svc.rate_limiter, svc.auth.throttle
    if not limiter.shared:
        raise click.ClickException(
            _OUT_OF_REACH.format("rate-limit counters", "REDIS_URL or RATE_LIMIT_STORAGE_URL")
        )
    if not throttle.shared:
        raise click.ClickException(_OUT_OF_REACH.format("login lockouts", "REDIS_URL"))
    limiter.reset_key(resolved)
    if email is not None:
        throttle.unlock(email=email)
    else:
        throttle.unlock_client(client=resolved.removeprefix("ip:"))
    click.echo(f"reset the rate limits of {resolved}")
