"""`flask dev profile METHOD PATH`: one request through the whole app under a profiler.

The request goes through the real ASGI stack in process (middleware, validation,
authentication, the handler, the database), as an account of the role asked for (created
once per role, `profile-<role>@profile.example`, and reused), after one unprofiled warm-up
request so the report shows the steady path, not first-call imports and caches.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.models import Role, User
from app.container import ASGI_APP_KEY, EXTENSION_KEY, Services
from app.infra.profiling import profiled
from app.users import service as users

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _access_token(svc: Services, role: Role) -> str:
    email = f"profile-{role.value}@profile.example"
    with svc.db.unit_of_work() as uow:
        user = uow.session.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = users.create_user(
                uow,
                svc.auth,
                email=email,
                password=secrets.token_urlsafe(24),
                full_name=f"Profiling {role.value}",
                role=role,
            )
        with uow.transaction() as session:
            tokens = svc.auth.start_session(session, session.merge(user))
    return tokens.access_token


@click.command("profile")
@click.argument("method", type=click.Choice(METHODS, case_sensitive=False))
@click.argument("path")
@click.option(
    "--as",
    "role",
    type=click.Choice([r.value for r in Role]),
    help="Send the request as an account of this role (default: no credentials).",
)
@click.option("--body", help="JSON request body.")
@click.option("--repeat", type=click.IntRange(1, 1000), default=1, help="Requests profiled.")
@click.option("--out", type=click.Path(path_type=Path), help="Report folder (PROFILE_DIR).")
@with_appcontext
def profile(  # noqa: PLR0917 - one parameter per command-line argument and option
    method: str, path: str, role: str | None, body: str | None, repeat: int, out: Path | None
) -> None:
    """Profile METHOD PATH (e.g. `GET /api/v1/users/me --as user`) and write the report."""
    svc: Services = current_app.extensions[EXTENSION_KEY]
    asgi: Any = current_app.extensions[ASGI_APP_KEY]
    try:
        payload = json.loads(body) if body is not None else None
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--body") from None
    headers = {"Authorization": f"Bearer {_access_token(svc, Role(role))}"} if role else {}
    out_dir = out or svc.settings.observability.profile_dir
    name = f"{method.lower()}-{path.strip('/').replace('/', '_') or 'root'}"
    with TestClient(asgi, raise_server_exceptions=False) as client:
        client.request(method.upper(), path, json=payload, headers=headers)  # warm-up
        with profiled(out_dir, name) as report:
            statuses = [
                client.request(method.upper(), path, json=payload, headers=headers).status_code
                for _ in range(repeat)
            ]
    if report is None or report.text_path is None:
        raise click.ClickException("another profile is running in this process")
    click.echo(f"{method.upper()} {path}: {', '.join(map(str, sorted(set(statuses))))}")
    click.echo(f"report: {report.text_path}")
    click.echo(f"pstats: {report.pstat_path} (python -m pstats, snakeviz)")
    click.echo(report.text_path.read_text())
