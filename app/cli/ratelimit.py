"""`flask ratelimit reset KEY`: forget one caller's counters on every rate-limited operation.

KEY is written as the limiter keys callers: `user:42`, an email (that user's `user:<id>`;
API keys count against their owner, so this covers them too) or `ip:203.0.113.9`. The
counters must live in Redis: with in-process memory they are in each server process,
out of this command's reach.
"""

from __future__ import annotations

import ipaddress

import click
from flask import current_app
from flask.cli import with_appcontext

from app.errors import NotFoundError
from app.services import users
from app.services.container import EXTENSION_KEY, Services


@click.group("ratelimit")
def ratelimit_cli() -> None:
    """Rate limits declared in the spec (x-rate-limit)."""


def _key(svc: Services, raw: str) -> str:
    """The limiter's key for what the operator typed; ClickException when malformed."""
    kind, sep, value = raw.strip().partition(":")
    if sep and kind == "user" and value.isdigit() and value.isascii():
        return f"user:{int(value)}"
    if sep and kind == "ip":
        try:
            return f"ip:{ipaddress.ip_address(value)}"
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
                return f"user:{users.get_by_email(uow, raw.strip()).id}"
            except NotFoundError:
                raise click.ClickException(f"no user with the email {raw.strip()!r}") from None
    raise click.ClickException(
        f"KEY must be user:<id>, ip:<address> or a user's email, not {raw!r}"
    )


@ratelimit_cli.command("reset")
@click.argument("key")
@with_appcontext
def reset(key: str) -> None:
    """Clear KEY's counters on every rate-limited operation (needs Redis storage)."""
    svc: Services = current_app.extensions[EXTENSION_KEY]
    resolved = _key(svc, key)
    limiter = svc.rate_limiter
    if not limiter.shared:
        raise click.ClickException(
            "rate-limit counters are kept in each server process's memory (no REDIS_URL or "
            "RATE_LIMIT_STORAGE_URL), so this command cannot reach them; restart the server "
            "to clear them"
        )
    limiter.reset_key(resolved)
    click.echo(f"reset the rate limits of {resolved}")
