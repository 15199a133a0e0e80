"""The owned-resource helper's facts come from the spec: page defaults, sort fields, the
base path of `Location`, the operationId `@idempotent` records; and the BOLA policy."""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts.models import Role, User
from app.accounts.principal import Principal
from app.contract.lists import location, page_defaults, sort_fields
from app.contract.routing import TagResolver
from app.contract.spec import base_path, load_spec, operations
from app.documents.models import Document, DocumentStatus
from app.documents.service import DOCUMENTS
from app.http.owned_responses import fields, list_query
from app.infra.pagination import PageRequest
from app.items.models import Item
from app.items.service import ITEMS
from app.jobs.models import Job
from app.owned.policy import Ownership
from app.recipes.models import Recipe
from generated import models as api

SPEC = load_spec()
LISTS = {
    op["operationId"]: op
    for _, _, op in operations(SPEC)
    if any(p.get("$ref", "").endswith("/Page") for p in op.get("parameters", []))
}
MODELS = {"listItems": Item, "listDocuments": Document, "listRecipes": Recipe, "listJobs": Job}


def test_page_request_defaults_are_the_specs() -> None:
    # Handlers get the spec's defaults from Connexion; PageRequest() (services called
    # without HTTP) must agree with them.
    for operation_id in MODELS:
        defaults = page_defaults(operation_id)
        assert PageRequest(**defaults) == PageRequest(), operation_id


@pytest.mark.parametrize("operation_id", sorted(MODELS))
def test_every_sort_field_of_the_spec_is_a_column(operation_id: str) -> None:
    assert operation_id in LISTS
    columns = set(MODELS[operation_id].__table__.columns.keys())  # type: ignore[attr-defined]
    assert set(sort_fields(operation_id)) <= columns


def test_owned_resources_sort_by_the_specs_enum() -> None:
    assert tuple(ITEMS._sortable()) == sort_fields("listItems")
    assert tuple(DOCUMENTS._sortable()) == sort_fields("listDocuments")


def test_location_is_under_the_specs_base_path() -> None:
    assert location("/items/7") == f"{base_path(SPEC)}/items/7" == "/api/v1/items/7"


def test_idempotent_handlers_record_their_own_operation_id() -> None:
    resolver = TagResolver(SPEC)
    marked = {}
    for _, _, op in operations(SPEC):
        handler: Any = resolver.resolve_function_from_operation_id(op["operationId"])
        if hasattr(handler, "idempotent_operation"):
            marked[op["operationId"]] = handler.idempotent_operation
    assert marked and all(k == v for k, v in marked.items()), marked


def test_list_query_passes_only_what_was_sent() -> None:
    query = {"page": 2, "size": 5, "sort": "name", "order": "asc", "q": "mug", "user": "x"}
    page, filters = list_query(query, "owner_id")
    assert page == PageRequest(page=2, size=5, sort="name", order="asc")
    assert filters == {"q": "mug"}  # no context keys, no absent filters
    _, window = list_query({**query, "created_after": "2026-01-01T00:00:00Z"})
    assert window["created_after"].year == 2026


def test_fields_unwraps_root_models_and_maps_nulls() -> None:
    body = api.ItemUpdateRequest.model_validate({"tags": ["a"], "description": None})
    assert fields(body) == {"tags": ["a"], "description": None}
    body = api.DocumentUpdateRequest.model_validate({"content": None})
    assert fields(body, content="") == {"content": ""}


def _caller(role: Role, user_id: int) -> Principal:
    return Principal(
        user=User(id=user_id, email="x@example.com", full_name="x", password_hash="h", role=role),
        method="bearer",
    )


@pytest.mark.parametrize(
    ("role", "audited", "reads", "writes"),
    [
        (Role.USER, True, False, False),
        (Role.READONLY, True, True, False),
        (Role.READONLY, False, False, False),
        (Role.ADMIN, False, True, True),
    ],
)
def test_policy_on_someone_elses_row(role: Role, audited: bool, reads: bool, writes: bool) -> None:
    policy = Ownership(audited=audited)
    row = Item(id=1, owner_id=2, name="n", price=1)
    caller = _caller(role, 9)
    assert (policy.can_read(caller, row), policy.can_write(caller, row)) == (reads, writes)
    own = Item(id=2, owner_id=9, name="n", price=1)
    assert policy.can_read(caller, own) and policy.can_write(caller, own)


def test_public_rows_are_read_by_everyone_and_drop_every_list() -> None:
    policy = Ownership(
        owner_field="author_id", audited=False, public=("status", DocumentStatus.PUBLISHED)
    )
    row = Document(id=1, author_id=2, title="t", status=DocumentStatus.PUBLISHED)
    caller = _caller(Role.USER, 9)
    assert policy.can_read(caller, row) and not policy.can_write(caller, row)
    assert policy.list_scopes_touched(2) == ("*",)
    assert Ownership().list_scopes_touched(2) == ("all:*", "owner:2:*")
