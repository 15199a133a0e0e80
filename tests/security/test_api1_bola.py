"""OWASP API1:2023 Broken Object Level Authorization.

Every operation of the spec with an object id in its path is called by another ordinary
user on an object the victim owns (read, update, delete, state changes): the answer is
`404 not_found`, exactly like an id that does not exist (ids reveal nothing), and the
object is unchanged. List filters by owner never hand out another user's objects. The
operations are walked from the spec, so a new one is covered without a new test.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.auth_helpers import Account
from tests.security.spec_walk import (
    BASE,
    FACTORIES,
    OPERATIONS,
    ROLES,
    example_body,
    fill,
    object_path,
    op_id,
    path_params,
    stranger,
)

MISSING_ID = 2**31 - 1
OBJECT_OPS = [(m, p, op) for m, p, op in OPERATIONS if path_params(p) and op_id(op) in ROLES]
# An ordinary user may call these on their own objects: another user must not reach them.
OWNED_OPS = [(m, p, op) for m, p, op in OBJECT_OPS if "user" in ROLES[op_id(op)]]
GETS = {p: op for m, p, op in OPERATIONS if m == "get"}


def test_object_level_operations_are_owned_or_admin_only() -> None:
    """Ids an ordinary user cannot reach at all are the role matrix's business (API5)."""
    assert OWNED_OPS, "the spec walk found no object-level operation"
    for _, path, op in OBJECT_OPS:
        assert op in [o for _, _, o in OWNED_OPS] or ROLES[op_id(op)] == {"admin"}, path


def test_every_object_id_has_a_factory() -> None:
    assert {path_params(p)[-1] for _, p, _ in OBJECT_OPS} <= set(FACTORIES)


def _read(client: TestClient, path: str, ids: dict[str, int], who: Account) -> Any:
    """The owner's view of the object, when the spec has a GET for it."""
    if object_path(path) not in GETS:
        return None
    response = client.get(fill(object_path(path), ids), headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


@pytest.mark.parametrize(("method", "path", "op"), OWNED_OPS, ids=[op_id(o) for *_, o in OWNED_OPS])
def test_another_user_gets_404_like_a_missing_id(
    client: TestClient,
    member: Account,
    admin: Account,
    method: str,
    path: str,
    op: dict[str, Any],
) -> None:
    del admin  # present so the last-admin rules never interfere
    victim = member
    attacker = stranger(client, "attacker@example.com")
    ids = {name: FACTORIES[name](client, victim.headers) for name in path_params(path)}
    before = _read(client, path, ids, victim)
    body = example_body(op)

    stolen = client.request(method.upper(), fill(path, ids), json=body, headers=attacker)
    missing = client.request(
        method.upper(),
        fill(path, dict.fromkeys(ids, MISSING_ID)),
        json=body,
        headers=attacker,
    )
    assert stolen.status_code == 404, stolen.text
    assert stolen.json()["code"] == "not_found"
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert stolen.headers["content-type"] == missing.headers["content-type"]
    assert _read(client, path, ids, victim) == before  # untouched (still there)


@pytest.mark.parametrize(
    ("path", "param"),
    [
        (p, prm["name"])
        for m, p, op in OPERATIONS
        if m == "get" and not path_params(p)
        for prm in op.get("parameters", [])
        if "$ref" not in prm and prm["name"] in ("owner_id", "author_id")
    ],
)
def test_owner_filters_never_hand_out_another_users_objects(
    client: TestClient, member: Account, path: str, param: str
) -> None:
    resource = path.rsplit("/", 1)[-1]
    kind = {"items": "item_id", "documents": "document_id", "jobs": "job_id"}[resource]
    FACTORIES[kind](client, member.headers)
    lister = stranger(client, "lister@example.com")
    response = client.get(BASE + path, params={param: member.user.id}, headers=lister)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["items"] == []
