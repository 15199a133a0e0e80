"""The CLI's groups load when a command runs, not when a server builds the app; nor do the
MCP SDK (on the first `/mcp` message) and the tracing instrumentation (only when tracing is
on): every server process and test subprocess would pay for them at start-up."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner
from flask import Flask

from app.cli import GROUPS, LazyGroup, register_cli

# Module name prefixes ("mcp": the SDK, `mcp` and `mcp_types`).
LAZY = ("alembic", "app.cli.", "mcp", "app.mcp.server", "opentelemetry.instrumentation")


def test_building_the_app_imports_no_cli_module_alembic_mcp_sdk_nor_instrumentation(
    root_dir,
) -> None:
    probe = (
        "import sys; from app.main import create_app; create_app(); "
        f"print(sorted(m for m in sys.modules if m.startswith({LAZY!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root_dir,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite://", "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_each_lazy_group_is_the_real_group_with_its_commands() -> None:
    flask_app = Flask("lazy-check")
    register_cli(flask_app)
    assert sorted(flask_app.cli.commands) == sorted(GROUPS)
    for name in GROUPS:
        lazy = flask_app.cli.commands[name]
        assert isinstance(lazy, LazyGroup)
        real = lazy.real()
        assert isinstance(real, click.Group) and real.name == name
        ctx = click.Context(lazy)
        assert lazy.list_commands(ctx) == real.list_commands(ctx) != []


def test_help_lists_the_groups_and_their_commands() -> None:
    flask_app = Flask("lazy-help")
    register_cli(flask_app)
    runner = CliRunner()
    group = flask_app.cli.commands["db"]
    result = runner.invoke(group, ["--help"])
    assert result.exit_code == 0, result.output
    assert "upgrade" in result.output and "downgrade" in result.output
    unknown = runner.invoke(group, ["no-such-command"])
    assert unknown.exit_code == 2 and "No such command" in unknown.output
