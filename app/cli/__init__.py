"""Click groups registered on the Flask CLI (`flask --help` lists them).

May import: `app.services`, `app.auth`, `app.infra`, `app.models`, `app.errors`,
`app.settings`, `generated`. Never `app.http` or `app.api`: the CLI is not HTTP. The one
exception is the contract's readers, which `flask dev` needs and which touch no request:
`app.http.spec_bundle` (the bundler) and `app.http.problem_types` (the problem catalogue).
"""

from __future__ import annotations

from flask import Flask

from app.cli.ai import ai_cli
from app.cli.db import db_cli
from app.cli.deploy import deploy_cli
from app.cli.dev import dev_cli
from app.cli.ratelimit import ratelimit_cli
from app.cli.users import users_cli


def register_cli(flask_app: Flask) -> None:
    flask_app.cli.add_command(ai_cli)
    flask_app.cli.add_command(db_cli)
    flask_app.cli.add_command(deploy_cli)
    flask_app.cli.add_command(dev_cli)
    flask_app.cli.add_command(ratelimit_cli)
    flask_app.cli.add_command(users_cli)
