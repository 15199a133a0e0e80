"""Click groups registered on the Flask CLI (`flask --help` lists them).

May import: `app.evals`, `app.container`, `app.users`, `app.auth`, `app.items`, `app.documents`,
`app.completions`, `app.audit`, `app.ai`, `app.idempotency`, `app.contract`,
`app.accounts`, `app.infra`, `app.errors`, `app.settings`, `generated`. Never `app.http`
nor a handler: the CLI is not HTTP.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click
from flask import Flask
from flask.cli import NoAppException, ScriptInfo
from sqlalchemy.exc import DBAPIError

from app.container import EXTENSION_KEY
from app.infra.db_errors import DatabaseUnusableError, explain
from app.infra.logging import configure_logging
from app.settings import Settings

# name -> (module:attribute, one-line help). The modules are imported when their command
# runs, not when the app is built: every server process builds the app (and so registers
# these), and the CLI modules bring Alembic and the docs tooling (~0.3 s of start-up, and
# memory, in every worker).
GROUPS: dict[str, tuple[str, str]] = {
    "ai": (
        "app.cli.ai:ai_cli",
        "The AI layer: provider check, completion cache, usage statistics.",
    ),
    "db": ("app.cli.db:db_cli", "Database: migrations (Alembic), reset, seed data."),
    "deploy": ("app.cli.deploy:deploy_cli", "Deployment: pre-flight checks, dependency health."),
    "dev": ("app.cli.dev:dev_cli", "Developer tools: lint gates, the spec, the API reference."),
    "ratelimit": ("app.cli.ratelimit:ratelimit_cli", "Rate limits: clear a caller's counters."),
    "users": ("app.cli.users:users_cli", "User accounts: create, change role, deactivate, unlock."),
}


class LazyGroup(click.Group):
    """A command group that imports its real group on first use (Click's lazy-loading
    pattern): `flask --help` lists it from the table above; `flask NAME ...` loads it."""

    def __init__(self, name: str, target: str, help_text: str) -> None:
        verbose = click.Option(
            ["--verbose", "-v"],
            is_flag=True,
            help="Log at INFO on stderr (default: WARNING, or LOG_LEVEL when set).",
        )
        super().__init__(name=name, help=help_text, short_help=help_text, params=[verbose])
        self._target = target
        self._loaded: click.Group | None = None

    def real(self) -> click.Group:
        if self._loaded is None:
            module, attribute = self._target.split(":")
            group = getattr(importlib.import_module(module), attribute)
            if not isinstance(group, click.Group):
                raise TypeError(f"{self._target} is not a click group")
            self._loaded = group
        return self._loaded

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.real().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.real().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """A database that cannot be used ends any command with one line and the fix
        (`Error: ...`, exit 1), not a traceback. Logs go to stderr, at WARNING unless
        asked (`--verbose`, or LOG_LEVEL set): stdout is the command's result."""
        settings = _settings(ctx)
        if settings is None:  # no app (the group used on its own)
            return super().invoke(ctx)
        _cli_logging(settings, verbose=bool(ctx.params.get("verbose")))
        try:
            return super().invoke(ctx)
        except DatabaseUnusableError as exc:
            raise click.ClickException(str(exc)) from None
        except DBAPIError as exc:
            message = explain(exc, settings.database.url)
            if message is None:
                raise
            raise click.ClickException(message) from None
        finally:  # as create_app left it (a process running several commands: tests)
            configure_logging(
                settings.observability.log_level, json_logs=settings.observability.log_json
            )


def _cli_logging(settings: Settings, *, verbose: bool) -> None:
    if verbose:
        level = "DEBUG" if settings.observability.log_level == "DEBUG" else "INFO"
    else:
        level = (
            settings.observability.log_level
            if "log_level" in settings.observability.model_fields_set
            else "WARNING"
        )
    configure_logging(
        level, json_logs=settings.observability.log_json, stream=sys.stderr, audit_always=False
    )


def _settings(ctx: click.Context) -> Settings | None:
    """The settings of the app this CLI run loaded (None without one)."""
    try:
        app = ctx.ensure_object(ScriptInfo).load_app()
    except NoAppException:
        return None
    services = app.extensions.get(EXTENSION_KEY)
    return services.settings if services is not None else None


def register_cli(flask_app: Flask) -> None:
    for name, (target, help_text) in GROUPS.items():
        flask_app.cli.add_command(LazyGroup(name, target, help_text))
