"""Schemathesis fuzzes the real server (uvicorn + the configured database/Redis) with every
check, in passes that each call only what the caller may call:

- anonymous: the public operations (and a plain check that every secured one answers 401);
- one pass per role, authenticated with a token for it: the secured operations whose
  `x-roles` list the role (app/http/spec.role_table), plus the public operations whose
  OpenAPI links lead into them, so the stateful phase can follow those links.

So the suite grows with the operations each role may call, never with 401s and 403s.
Bounded: a fixed number of examples per operation (`FUZZ_FAST_EXAMPLES`, 10), a fixed seed
and a hard time limit; it targets only 127.0.0.1 and stops by itself. `make fuzz` runs the
deep variant (marker `fuzz`, not part of `make test`): every operation as every caller, many
more examples, and the coverage phase (every boundary and negative value); CI runs it after
`make test` (.ci/run), so depth lives there and `make test` stays quick. The passes are
separate tests, so parallel workers share them out (each worker starts its own server on its
own database). The admin pass runs in `make test`, the readonly and user passes in `make
test-slow` (both in CI).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.contract.spec import base_path, load_spec, operations, role_table
from tests.auth_helpers import make_user, resources
from tests.live_server import live_server, server_env

pytestmark = pytest.mark.contract
SPEC = load_spec()
ROLE_TABLE = role_table(SPEC)
# Readonly first, admin last: the admin pass may delete or demote the other accounts.
ROLES = ("readonly", "user", "admin")
# Logout would revoke the pass's own token mid-run; tests/auth covers it.
NOT_FUZZED_WITH_A_TOKEN = {"logout"}
SPARE_ACCOUNTS = 10
CONFIG = Path(__file__).with_name("schemathesis.toml")
# `make test`: the spec's examples, random data and the stateful links. The coverage phase
# (every boundary and negative value of every field: most of a pass's time) runs in the deep
# passes, which CI runs too.
FAST = {
    "max_examples": int(os.environ.get("FUZZ_FAST_EXAMPLES", "10")),
    "timeout": 900,
    "coverage": False,
}
DEEP = {
    "max_examples": int(os.environ.get("FUZZ_MAX_EXAMPLES", "300")),
    "timeout": int(os.environ.get("FUZZ_TIMEOUT", "3600")),
}


def _links_from(op: dict[str, Any]) -> set[str]:
    """operationIds this operation's responses link to."""
    return {
        link["operationId"]
        for response in op.get("responses", {}).values()
        for link in response.get("links", {}).values()
        if "operationId" in link
    }


def pass_operations(role: str | None) -> list[str]:
    """The operationIds one fast pass fuzzes, in spec order (see the module docstring)."""
    ops = [op for _, _, op in operations(SPEC)]
    if role is None:
        return [op["operationId"] for op in ops if op["operationId"] not in ROLE_TABLE]
    allowed = {
        op_id
        for op_id, roles in ROLE_TABLE.items()
        if role in roles and op_id not in NOT_FUZZED_WITH_A_TOKEN
    }
    sources = {op["operationId"] for op in ops if op["operationId"] not in ROLE_TABLE}
    feeding = {op_id for op_id in sources if _links_from(_op(op_id)) & allowed}
    return [op["operationId"] for op in ops if op["operationId"] in allowed | feeding]


def _op(operation_id: str) -> dict[str, Any]:
    return next(op for _, _, op in operations(SPEC) if op["operationId"] == operation_id)


def test_passes_follow_the_role_table() -> None:
    # Each pass calls nothing its caller is refused; every operation is fuzzed somewhere.
    assert pass_operations(None) == ["getHealth", "getLiveness", "register", "login", "refresh"]
    for role in ROLES:
        ops = pass_operations(role)
        assert all(role in ROLE_TABLE.get(op, {role}) for op in ops), role
    assert set(pass_operations("admin")) - set(ROLE_TABLE) == {"register"}  # links to users
    fuzzed = {op for who in (None, *ROLES) for op in pass_operations(who)}
    assert fuzzed | NOT_FUZZED_WITH_A_TOKEN == {op["operationId"] for _, _, op in operations(SPEC)}


@pytest.fixture(scope="module")
def server(
    database_url: str,
    redis_url: str | None,
    make_settings: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    env = server_env(database_url, redis_url, make_settings().redis.key_prefix + "-fuzz")
    log = tmp_path_factory.mktemp("server") / "server.log"
    with live_server(env, log) as base:
        yield base


@pytest.fixture
def tokens(app: Any) -> dict[str, str]:
    """One account per role, created for each test (tables are emptied between tests).

    Tokens come from the login service directly: the fuzzed /auth/login may already have
    locked out 127.0.0.1, which is the lockout working as intended. The password is not the
    spec's example, so the fuzzer cannot change it (which would end the run's session).
    """
    res = resources(app)
    issued = {}
    password = secrets.token_urlsafe(16)
    # Spare accounts first, so the callers' own ids are past the values the coverage phase
    # tries first (1, 2, the spec's example 7): `deleteUser 1` as admin would otherwise
    # delete the admin running the pass, and every later request would be a 401.
    for spare in range(SPARE_ACCOUNTS):
        make_user(app, f"fuzz-spare-{spare}@example.com", "user", password=password)
    for role in ROLES:
        make_user(app, f"fuzz-{role}@example.com", role, password=password)
        with res.db.unit_of_work() as uow:
            pair = res.auth.login(
                uow,
                email=f"fuzz-{role}@example.com",
                password=password,
                client="setup",
            )
        issued[role] = pair.access_token
    return issued


def run_schemathesis(
    base: str,
    report_dir: Path,
    extra: list[str],
    *,
    max_examples: int,
    timeout: int,
    stateful: bool = True,
    coverage: bool = True,
) -> str:
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [
        str(exe),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base}/api/v1/openapi.json",
        # Every check: schemathesis.toml enables all of them (`[checks] enabled = true`), so
        # its per-operation exceptions apply (`--checks all` here would override them).
        "--phases",
        ",".join(
            ["examples", *(["coverage"] if coverage else []), "fuzzing"]
            + (["stateful"] if stateful else [])
        ),
        "--max-examples",
        str(max_examples),
        # One worker: concurrent threads trip a CPython 3.11 bug in `ast` (gh-106905,
        # "AST constructor recursion depth mismatch") when Hypothesis reads lambda sources.
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--seed",
        "20261125",
        "--generation-database",
        "none",
        # Hypothesis' guard on how fast it generates data, not a check of the API: on parallel
        # workers of a busy 2-core machine generation slows down, and the guard would abort an
        # operation's fuzzing ("Data generation is too slow") instead of finishing it.
        "--suppress-health-check",
        "too_slow",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir),
        *extra,
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-10000:]
    summary = output[output.rfind("SUMMARY") :]
    assert " passed" in summary and "failure" not in summary, summary
    return output


def _only(operation_ids: list[str]) -> list[str]:
    return [arg for op_id in operation_ids for arg in ("--include-operation-id", op_id)]


def _linked(operation_ids: list[str]) -> bool:
    """Whether a link joins two of these operations (else there is no stateful phase)."""
    return any(_links_from(_op(op_id)) & set(operation_ids) for op_id in operation_ids)


def _bearer(token: str) -> list[str]:
    return ["-H", f"Authorization: Bearer {token}"]


def _assert_authenticated(output: str, operation_ids: list[str]) -> None:
    """The pass was really authenticated: no included operation got only 401s."""
    warnings = output[output.find("WARNINGS") : output.rfind("SUMMARY")]
    start = warnings.find("Authentication failed")
    auth_failed = warnings[start : warnings.find("💡", start)] if start >= 0 else ""
    for method, path, op in operations(SPEC):
        if op["operationId"] in operation_ids and op["operationId"] in ROLE_TABLE:
            assert f"- {method.upper()} {path}\n" not in auth_failed, warnings


def test_anonymous(server: str, tmp_path: Path) -> None:
    ops = pass_operations(None)
    run_schemathesis(server, tmp_path, _only(ops), **FAST, stateful=_linked(ops))


def test_anonymous_secured_operations_are_401(server: str) -> None:
    for method, path, op in operations(SPEC):
        if op["operationId"] not in ROLE_TABLE:
            continue
        url = server + base_path(SPEC) + re.sub(r"\{[^}]+\}", "1", path)
        body = {} if "requestBody" in op else None
        response = httpx.request(method.upper(), url, json=body, timeout=10)
        assert response.status_code == 401, f"{method.upper()} {path}: {response.text}"
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "not_authenticated"
        assert response.headers["www-authenticate"].startswith("Bearer")


# The admin pass (admins may call nearly every operation) in `make test`; the readonly and
# user passes, whose answers differ by role (budgets, ownership), in `make test-slow`: CI
# runs both, and `make fuzz` fuzzes every operation as every caller more deeply.
@pytest.mark.parametrize(
    "role",
    [pytest.param(r, marks=pytest.mark.slow) if r != "admin" else r for r in ROLES],
)
def test_authenticated(server: str, tokens: dict[str, str], tmp_path: Path, role: str) -> None:
    ops = pass_operations(role)
    extra = [*_bearer(tokens[role]), *_only(ops)]
    output = run_schemathesis(server, tmp_path, extra, **FAST, stateful=_linked(ops))
    _assert_authenticated(output, ops)


@pytest.mark.fuzz
@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *ROLES])
def test_deep(server: str, tokens: dict[str, str], tmp_path: Path, role: str | None) -> None:
    """`make fuzz`: every operation (403s and 401s included) as every caller, deeper."""
    extra = []
    if role is not None:
        extra = [*_bearer(tokens[role])]
        extra += [a for op in NOT_FUZZED_WITH_A_TOKEN for a in ("--exclude-operation-id", op)]
    output = run_schemathesis(server, tmp_path, extra, **DEEP)
    if role is not None:
        allowed = [op for op, roles in ROLE_TABLE.items() if role in roles]
        _assert_authenticated(output, [op for op in allowed if op not in NOT_FUZZED_WITH_A_TOKEN])
