"""What the OWASP suite derives from the spec: the operations, their path parameters, a
valid request body (the spec's own example), and, per kind of object id, how its owner
creates one through the API. A new operation on an existing resource is covered without
a new test; a new kind of object id fails `test_every_object_id_has_a_factory` until it
gets a factory here."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import connexion
from starlette.testclient import TestClient

from app.contract.spec import base_path, load_spec, operations, role_table
from app.jobs.models import Job, JobKind
from app.users.service import CREDENTIAL_FIELDS
from tests.auth_helpers import make_user, resources

SPEC = load_spec()
BASE = base_path(SPEC)
OPERATIONS = operations(SPEC)
ROLES = role_table(SPEC)  # operationId -> roles allowed (secured operations only)
_PARAM = re.compile(r"\{([^}]+)\}")


def path_params(path: str) -> list[str]:
    return _PARAM.findall(path)


def op_id(op: dict[str, Any]) -> str:
    return str(op["operationId"])


def example_body(op: dict[str, Any]) -> Any:
    """The spec's example request body (None when the operation takes none)."""
    body = op.get("requestBody")
    if body is None:
        return None
    media = body["content"]["application/json"]
    if "example" in media:
        return media["example"]
    return next(iter(media["examples"].values()))["value"]


def body_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    body = op.get("requestBody")
    return body["content"]["application/json"]["schema"] if body else None


def object_path(path: str) -> str:
    """`/documents/{document_id}/publish` -> `/documents/{document_id}`."""
    last = path_params(path)[-1]
    return path[: path.index("{" + last + "}") + len(last) + 2]


def accepts_api_keys(op: dict[str, Any]) -> bool:
    security = op.get("security", SPEC.get("security", []))
    return any("apiKeyAuth" in requirement for requirement in security)


def needs_session(op: dict[str, Any], body: Any = None) -> bool:
    """The spec says an API key gets `403 session_required` here, for this body: where only
    some fields need a session (`updateMe`: the credential fields), the body decides."""
    if "session_required" not in op.get("description", ""):
        return False
    if op_id(op) == "updateMe":
        return isinstance(body, dict) and bool(CREDENTIAL_FIELDS & body.keys())
    return True


def fill(path: str, values: dict[str, int]) -> str:
    return BASE + _PARAM.sub(lambda m: str(values[m.group(1)]), path)


# --- objects, made by their owner through the API -------------------------------------
def _created(response: Any, field: str = "id") -> int:
    assert response.status_code in (200, 201, 202), response.text
    return int(response.json()["data"][field])


Factory = Callable[[TestClient, dict[str, str]], int]


def _account(client: TestClient) -> int:
    app: connexion.FlaskApp = client.app  # type: ignore[assignment]
    user = make_user(app, f"owasp-{uuid.uuid4().hex[:10]}@example.com")
    assert user.id is not None
    return user.id


def _queued_job(client: TestClient, headers: dict[str, str]) -> int:
    """A queued job of the caller, stored directly: one made through `POST /ai/jobs`
    would run (in-process) and change under the test's feet."""
    me = client.get(f"{BASE}/users/me", headers=headers).json()["data"]["id"]
    app: connexion.FlaskApp = client.app  # type: ignore[assignment]
    ask = {"ingredients": ["egg"]}
    with resources(app).db.transaction() as session:
        job = Job(
            owner_id=me, kind=JobKind.RECIPE, request={"kind": "recipe", "recipe": ask}, params=ask
        )
        session.add(job)
        session.flush()
        assert job.id is not None
        return job.id


FACTORIES: dict[str, Factory] = {
    "item_id": lambda c, h: _created(
        c.post(f"{BASE}/items", json={"name": "owasp", "price": "1.00"}, headers=h)
    ),
    # A draft: visible to its author and admins only.
    "document_id": lambda c, h: _created(
        c.post(f"{BASE}/documents", json={"title": "owasp"}, headers=h)
    ),
    "recipe_id": lambda c, h: _created(
        c.post(f"{BASE}/recipes/generate", json={"ingredients": ["egg"]}, headers=h),
        "saved_id",
    ),
    "job_id": lambda c, h: _queued_job(c, h),
    # An account, made by the users service (the `user_id` operations are admin-only, and
    # sign-up is throttled per client address).
    "user_id": lambda c, _h: _account(c),
    "key_id": lambda c, h: _created(c.post(f"{BASE}/auth/api-keys", json={"name": "o"}, headers=h)),
}


def api_key(client: TestClient, headers: dict[str, str], name: str = "owasp") -> str:
    """A new API key of the bearer's account (its secret)."""
    response = client.post(f"{BASE}/auth/api-keys", json={"name": name}, headers=headers)
    assert response.status_code == 201, response.text
    secret: str = response.json()["data"]["key"]
    return secret


def stranger(client: TestClient, email: str, password: str = "stranger pw 1234") -> dict[str, str]:
    """Bearer headers of a new ordinary account that signed up and in through the API."""
    registered = client.post(
        f"{BASE}/auth/register", json={"email": email, "password": password, "full_name": "S"}
    )
    assert registered.status_code == 201, registered.text
    login = client.post(f"{BASE}/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
