"""Click groups registered on the Flask CLI (`flask --help` lists them).

May import: `app.services`, `app.auth`, `app.infra`, `app.models`, `app.errors`,
`app.settings`, `generated`. Never `app.http` or `app.api`: the CLI is not HTTP.
"""

from __future__ import annotations

from flask import Flask

from app.cli.ai import ai_cli
from app.cli.db import db_cli
from app.cli.ratelimit import ratelimit_cli
from app.cli.users import users_cli


def register_cli(flask_app: Flask) -> None:
    flask_app.cli.add_command(ai_cli)
    flask_app.cli.add_command(db_cli)
    flask_app.cli.add_command(ratelimit_cli)
    flask_app.cli.add_command(users_cli)
