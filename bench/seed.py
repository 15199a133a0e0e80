"""Accounts for the scenarios, created through the real service (register, login) and
the Flask CLI (the admin), and the list scenarios' items (bulk SQL: 10,000 API calls would
measure nothing). Idempotent: a second run only logs in and tops the items up."""

from __future__ import annotations

import http.client
import json
import subprocess
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, text

from bench.procs import HOST
from bench.scenarios import ITEMS_SEEDED
from bench.services import BIN, ROOT

PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account
USER_EMAIL = "bench-user-001@example.com"
WRITER_EMAIL = "bench-user-002@example.com"
ADMIN_EMAIL = "bench-admin@example.com"


class SeedError(RuntimeError):
    pass


@dataclass(frozen=True)
class Tokens:
    user: str
    admin: str
    writer: str

    def for_account(self, account: str) -> str:
        tokens = {"user": self.user, "admin": self.admin, "writer": self.writer}
        return tokens[account]


def request_json(
    port: int,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    token: str | None = None,
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        payload = json.dumps(body) if body is not None else None
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    return response.status, (json.loads(raw) if raw else None)


def _existing_emails(database_url: str) -> dict[str, str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT email, role FROM users WHERE email LIKE 'bench-%'"))
            return {email: role for email, role in rows}
    finally:
        engine.dispose()


def _flask_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [str(BIN / "flask"), "users", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _ensure_admin(env: dict[str, str], role: str | None) -> None:
    if role is None:
        done = _flask_cli(env, "create-admin", ADMIN_EMAIL, "--password", PASSWORD)
    elif role != "admin":
        done = _flask_cli(env, "change-role", ADMIN_EMAIL, "admin")
    else:
        return
    if done.returncode != 0:
        raise SeedError(f"flask users failed: {done.stdout}{done.stderr}")


def _login(port: int, email: str) -> str:
    status, body = request_json(
        port, "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD}
    )
    if status != 200:
        raise SeedError(f"login of {email} gave {status}: {body}")
    token: str = body["data"]["access_token"]
    return token


def seed_items(database_url: str, owner_email: str, count: int) -> None:
    """Top the owner's items up to `count` (one second apart, newest first, two tags each)."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            owner_id = conn.execute(
                text("SELECT id FROM users WHERE email = :e"), {"e": owner_email}
            ).scalar_one()
            have = conn.execute(
                text("SELECT count(*) FROM items WHERE owner_id = :o"), {"o": owner_id}
            ).scalar_one()
            if have >= count:
                return
            conn.execute(
                text(
                    "INSERT INTO items (owner_id, name, description, price, attributes, "
                    "version, created_at, updated_at) "
                    "SELECT :o, 'Bench item ' || n, 'Seeded for the list benchmark.', "
                    "(n % 10000) / 100.0, json_build_object('n', n), 1, "
                    "now() - make_interval(secs => n), now() - make_interval(secs => n) "
                    "FROM generate_series(:first, :last) AS n"
                ),
                {"o": owner_id, "first": have + 1, "last": count},
            )
            conn.execute(
                text(
                    "INSERT INTO item_tags (item_id, tag) "
                    "SELECT id, t FROM items, LATERAL (VALUES ('bench'), ('tag-' || id % 10)) "
                    "AS v(t) WHERE owner_id = :o ON CONFLICT DO NOTHING"
                ),
                {"o": owner_id},
            )
    finally:
        engine.dispose()


def seed(port: int, env: dict[str, str], *, users: int) -> Tokens:
    """`users` ordinary accounts plus one admin; returns bearer tokens for both roles."""
    existing = _existing_emails(env["DATABASE_URL"])
    for i in range(1, max(users, 2) + 1):  # 001 lists, 002 writes
        email = f"bench-user-{i:03d}@example.com"
        if email in existing:
            continue
        body = {"email": email, "password": PASSWORD, "full_name": f"Bench User {i}"}
        status, answer = request_json(port, "POST", "/api/v1/auth/register", body)
        if status not in (201, 409):
            raise SeedError(f"register of {email} gave {status}: {answer}")
    _ensure_admin(env, existing.get(ADMIN_EMAIL))
    seed_items(env["DATABASE_URL"], USER_EMAIL, ITEMS_SEEDED)
    tokens = Tokens(
        user=_login(port, USER_EMAIL),
        admin=_login(port, ADMIN_EMAIL),
        writer=_login(port, WRITER_EMAIL),
    )
    checks = (
        ("/api/v1/users/me", tokens.user),
        ("/api/v1/users", tokens.admin),
        ("/api/v1/items?size=1", tokens.user),
    )
    for path, token in checks:
        status, answer = request_json(port, "GET", path, token=token)
        if status != 200:
            raise SeedError(f"GET {path} with the seeded token gave {status}: {answer}")
    return tokens
