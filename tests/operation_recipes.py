"""Requests that succeed for an allowed caller, one per secured operation: what the role
matrix, the media-type and the caching tests send (a new operation needs a recipe here)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from app.contract.spec import load_spec, operations, role_table
from app.documents.models import Document, DocumentStatus
from app.items.models import Item
from app.jobs.models import Job, JobKind
from app.recipes.models import Recipe as ModelRecipe
from tests.auth_helpers import Account, make_user, resources

SPEC = load_spec()
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
    "createChatCompletion": lambda a, c, w: (
        "/openai/chat/completions",
        {"model": "fake-1", "messages": [{"role": "user", "content": "matrix"}]},
    ),
    "listModels": lambda a, c, w: ("/openai/models", None),
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


def _resource_recipes() -> dict[str, Recipe]:
    """The recipes of resources with their own test folder (`flask dev new-resource` writes
    tests/<resource>/operation_recipes.py), so a scaffolded resource needs no edit here."""
    found: dict[str, Recipe] = {}
    for path in sorted(Path(__file__).parent.glob("*/operation_recipes.py")):
        found.update(importlib.import_module(f"tests.{path.parent.name}.operation_recipes").RECIPES)
    return found


RECIPES.update(_resource_recipes())
SECURED = [(m, p, op) for m, p, op in operations(SPEC) if op["operationId"] in role_table(SPEC)]
