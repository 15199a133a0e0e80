"""`flask deploy ...`: pre-deployment checks, and the readiness check without HTTP.

`prepare TARGET` prints one line per check (app/cli/deploy_checks.py says what each
target requires) and exits 1 on any failure; it only checks unless `--migrate` is given.
`healthcheck` runs `GET /health`'s checks (app/health/service.py) in this process and
exits 1 when a required dependency is down.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.deploy_checks import TARGETS, Target, prepare_checks
from app.container import EXTENSION_KEY, Services
from app.infra.migrations import Migrations

_LABELS = {"ok": "ok", "warn": "warn", "fail": "FAIL"}


def _services() -> Services:
    svc: Services = current_app.extensions[EXTENSION_KEY]
    return svc


@click.group("deploy")
def deploy_cli() -> None:
    """Deployment: pre-flight checks, dependency health."""


@deploy_cli.command("prepare")
@click.argument("target", type=click.Choice(TARGETS))
@click.option(
    "--migrate/--no-migrate",
    default=False,
    show_default=True,
    help="Upgrade the database to head (only when every other check passed).",
)
@with_appcontext
def prepare(target: Target, migrate: bool) -> None:
    """Check this configuration and its services for TARGET; exit 1 on any failure."""
    svc = _services()
    checks = prepare_checks(
        settings=svc.settings,
        target=target,
        redis_client=svc.redis,
        ai=svc.ai,
        migrations=Migrations(svc.settings),
        migrate=migrate,
    )
    for check in checks:
        click.echo(f"{_LABELS[check.outcome]:<4}  {check.name:<10}  {check.detail}")
    failed = [c.name for c in checks if c.outcome == "fail"]
    if failed:
        raise click.ClickException(f"not ready for {target}: {', '.join(failed)} failed")
    click.echo(f"ready for {target}")


@deploy_cli.command("healthcheck")
@with_appcontext
def healthcheck() -> None:
    """GET /health's readiness checks without HTTP: exit 0 healthy, 1 unhealthy."""
    report = _services().health()
    for name, dep in report.checks.items():
        latency = f"{dep.latency_ms:.0f} ms" if dep.latency_ms is not None else "-"
        need = "required" if dep.required else "optional"
        detail = f"  {dep.detail}" if dep.detail else ""
        click.echo(f"{dep.status:<14}  {name:<10}  {need}  {latency}{detail}")
    if report.down:
        raise click.ClickException(f"unhealthy: {', '.join(report.down)} down")
    click.echo(f"healthy (version {report.version})")
