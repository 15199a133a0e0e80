"""Walk every operation in the spec: each role gets exactly what its `x-roles` declare.

Allowed roles must get a 2xx, others 403 `forbidden`, and no credentials 401. A new
operation must get a request recipe here, or this test fails (the spec drives the matrix).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.http.spec import base_path, load_spec, operations, role_table
from app.models import Document, DocumentStatus, Item, Job, JobKind
from app.models import Recipe as ModelRecipe
from tests.auth_helpers import Account, account, make_user, resources

SPEC = load_spec()
ROLES = ("admin", "user", "readonly")
Recipe = Callable[[Any, TestClient, Account], tuple[str, dict[str, Any] | None]]


def _victim(app: Any, *_: Any) -> int:
    user = make_user(app, "victim@example.com")
    assert user.id is not None
    return user.id


def _own_key(_app: Any, client: TestClient, who: Account) -> int:
    response = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=who.headers)
    key_id: int = response.json()["data"]["id"]
    return key_id


def _own_item(app: Any, _client: TestClient, who: Account) -> int:
    """An item owned by the caller, stored directly (a readonly caller cannot create one)."""
    with resources(app).db.transaction() as session:
        item = Item(owner_id=who.user.id, name="matrix", price=Decimal("1.00"))
        session.add(item)
        session.flush()
        assert item.id is not None
        return item.id


def _own_document(app: Any, _client: TestClient, who: Account, status: str = "draft") -> int:
    """A document written by the caller, stored directly (readonly cannot create one)."""
    with resources(app).db.transaction() as session:
        document = Document(author_id=who.user.id, title="matrix", status=DocumentStatus(status))
        session.add(document)
        session.flush()
        assert document.id is not None
        return document.id


def _own_recipe(app: Any, _client: TestClient, who: Account) -> int:
    """A recipe owned by the caller, stored directly (readonly cannot generate one)."""
    with resources(app).db.transaction() as session:
        recipe = ModelRecipe(
            owner_id=who.user.id,
            title="matrix",
            ingredients=[{"item": "egg", "amount": 1, "unit": "piece"}],
            instructions=[{"step": 1, "text": "Boil."}],
            cooking_time=10,
            difficulty="easy",
            confidence_score=0.9,
            prompt_version="recipe/v1",
            provider="fake",
            model="fake-1",
        )
        session.add(recipe)
        session.flush()
        assert recipe.id is not None
        return recipe.id


def _own_job(app: Any, _client: TestClient, who: Account) -> int:
    """A queued job owned by the caller, stored directly (readonly cannot start one)."""
    with resources(app).db.transaction() as session:
        ask = {"ingredients": ["egg"]}
        job = Job(
            owner_id=who.user.id,
            kind=JobKind.RECIPE,
            request={"kind": "recipe", "recipe": ask},
            params=ask,
        )
        session.add(job)
        session.flush()
        assert job.id is not None
        return job.id


# operationId -> (path with the placeholders filled, JSON body or None)
RECIPES: dict[str, Recipe] = {
    "logout": lambda a, c, w: ("/auth/logout", None),
    "createApiKey": lambda a, c, w: ("/auth/api-keys", {"name": "matrix"}),
    "listApiKeys": lambda a, c, w: ("/auth/api-keys", None),
    "revokeApiKey": lambda a, c, w: (f"/auth/api-keys/{_own_key(a, c, w)}", None),
    "getMe": lambda a, c, w: ("/users/me", None),
    "updateMe": lambda a, c, w: ("/users/me", {"full_name": "Matrix"}),
    "listUsers": lambda a, c, w: ("/users", None),
    "getUser": lambda a, c, w: (f"/users/{_victim(a)}", None),
    "updateUser": lambda a, c, w: (f"/users/{_victim(a)}", {"role": "readonly"}),
    "deleteUser": lambda a, c, w: (f"/users/{_victim(a)}", None),
    "listItems": lambda a, c, w: ("/items", None),
    "createItem": lambda a, c, w: ("/items", {"name": "matrix", "price": "1"}),
    "getItem": lambda a, c, w: (f"/items/{_own_item(a, c, w)}", None),
    "updateItem": lambda a, c, w: (f"/items/{_own_item(a, c, w)}", {"price": "2"}),
    "deleteItem": lambda a, c, w: (f"/items/{_own_item(a, c, w)}", None),
    "listDocuments": lambda a, c, w: ("/documents", None),
    "createDocument": lambda a, c, w: ("/documents", {"title": "matrix"}),
    "getDocument": lambda a, c, w: (f"/documents/{_own_document(a, c, w)}", None),
    "updateDocument": lambda a, c, w: (f"/documents/{_own_document(a, c, w)}", {"title": "m"}),
    "deleteDocument": lambda a, c, w: (f"/documents/{_own_document(a, c, w)}", None),
    "publishDocument": lambda a, c, w: (f"/documents/{_own_document(a, c, w)}/publish", None),
    "archiveDocument": lambda a, c, w: (f"/documents/{_own_document(a, c, w)}/archive", None),
    "createCompletion": lambda a, c, w: ("/ai/completions", {"prompt": "matrix"}),
    "createCompletionStream": lambda a, c, w: ("/ai/completions/stream", {"prompt": "matrix"}),
    "generateRecipe": lambda a, c, w: ("/recipes/generate", {"ingredients": ["egg"]}),
    "listRecipes": lambda a, c, w: ("/recipes", None),
    "getAiUsage": lambda a, c, w: ("/ai/usage", None),
    "createBatch": lambda a, c, w: ("/ai/batch", {"requests": [{"prompt": "matrix"}]}),
    "getAiStats": lambda a, c, w: ("/ai/stats", None),
    "createJob": lambda a, c, w: (
        "/ai/jobs",
        {"kind": "completion", "completion": {"prompt": "m"}},
    ),
    "listJobs": lambda a, c, w: ("/ai/jobs", None),
    "getJob": lambda a, c, w: (f"/ai/jobs/{_own_job(a, c, w)}", None),
    "cancelJob": lambda a, c, w: (f"/ai/jobs/{_own_job(a, c, w)}", None),
    "getRecipe": lambda a, c, w: (f"/recipes/{_own_recipe(a, c, w)}", None),
    "deleteRecipe": lambda a, c, w: (f"/recipes/{_own_recipe(a, c, w)}", None),
    "listAuditEvents": lambda a, c, w: ("/admin/audit", None),
}
SECURED = [(m, p, op) for m, p, op in operations(SPEC) if op["operationId"] in role_table(SPEC)]


def test_every_secured_operation_has_a_recipe() -> None:
    assert {op["operationId"] for _, _, op in SECURED} == set(RECIPES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "op"), SECURED, ids=[op["operationId"] for _, _, op in SECURED]
)
def test_role_gets_what_the_spec_declares(
    app, client: TestClient, role: str, method: str, path: str, op: dict
) -> None:
    who = account(app, client, f"{role}@example.com", role)
    url, body = RECIPES[op["operationId"]](app, client, who)
    response = client.request(method.upper(), base_path(SPEC) + url, json=body, headers=who.headers)
    if role in op["x-roles"]:
        assert 200 <= response.status_code < 300, f"{role} should be allowed: {response.text}"
    else:
        assert response.status_code == 403, f"{role} should be forbidden: {response.text}"
        assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path", "op"), SECURED, ids=[op["operationId"] for _, _, op in SECURED]
)
def test_no_credentials_is_401(app, client: TestClient, method: str, path: str, op: dict) -> None:
    url = re.sub(r"\{[^}]+\}", "1", path)
    response = client.request(method.upper(), base_path(SPEC) + url, json={})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_public_operations_need_no_credentials() -> None:
    public = {op["operationId"] for _, _, op in operations(SPEC)} - set(role_table(SPEC))
    assert public == {
        "getHealth",
        "getLiveness",
        "register",
        "login",
        "refresh",
    }


# --- role checks come before validation, for every credential (issue 18, item 9) -----------
WRITES = [
    (m, p, op, role)
    for m, p, op in SECURED
    if m in ("post", "put", "patch", "delete")
    for role in ROLES
    if role not in op["x-roles"]
]
# Each is refused by validation when the role check lets it through: a schema violation, a
# body that is not JSON, an unknown query parameter, a path parameter of the wrong type.
INVALID_INPUTS: list[tuple[str, dict[str, Any]]] = [
    ("schema", {"json": {"zz_not_a_field": "7"}}),
    ("malformed", {"content": b"{", "headers": {"Content-Type": "application/json"}}),
    ("query", {"params": {"zz_unknown": "1"}}),
    ("non_finite", {"content": b'{"a": NaN}', "headers": {"Content-Type": "application/json"}}),
]


def _credential(client: TestClient, who: Account, kind: str) -> dict[str, str]:
    if kind == "bearer":
        return who.headers
    created = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=who.headers)
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["data"]["key"]}


@pytest.mark.parametrize("credential", ["bearer", "api_key"])
@pytest.mark.parametrize(
    ("method", "path", "op", "role"),
    WRITES,
    ids=[f"{op['operationId']}-{role}" for _, _, op, role in WRITES],
)
def test_role_is_checked_before_the_input(
    app, client: TestClient, credential: str, method: str, path: str, op: dict, role: str
) -> None:
    who = account(app, client, f"{role}@example.com", role)
    headers = _credential(client, who, credential)
    url = base_path(SPEC) + re.sub(r"\{[^}]+\}", "1", path)
    for name, kwargs in INVALID_INPUTS:
        sent = {**kwargs, "headers": {**headers, **kwargs.get("headers", {})}}
        response = client.request(method.upper(), url, **sent)
        assert response.status_code == 403, f"{name}: {response.text}"
        assert response.json()["code"] == "forbidden", name


def test_a_promoted_key_owner_is_not_refused_on_the_remembered_role(
    app, client: TestClient, admin: Account
) -> None:
    # The early check remembers an API key's owner for a minute; a refusal re-reads it.
    reader = account(app, client, "promoted@example.com", "readonly")
    key = _credential(client, reader, "api_key")
    refused = client.post("/api/v1/items", json={"name": "a", "price": "1"}, headers=key)
    assert refused.status_code == 403, refused.text
    promoted = client.patch(
        f"/api/v1/users/{reader.user.id}", json={"role": "user"}, headers=admin.headers
    )
    assert promoted.status_code == 200, promoted.text
    created = client.post("/api/v1/items", json={"name": "a", "price": "1"}, headers=key)
    assert created.status_code == 201, created.text
