"""Items: ownership and visibility by role, exact prices, tags and attributes, bad input,
ETags (If-None-Match, If-Match, concurrent writers) and the delete-with-owner policy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.principal import Principal
from app.items import service
from app.items.models import Item, ItemTag
from tests.auth_helpers import Account, resources
from tests.problems import assert_problem

ITEMS = "/api/v1/items"


def create(client: TestClient, who: Account, **fields: Any) -> dict[str, Any]:
    body = {"name": "Blue mug", "price": "12.50", **fields}
    response = client.post(ITEMS, json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_create_returns_the_item_with_location_and_etag(
    client: TestClient, member: Account
) -> None:
    body = {
        "name": "  Blue mug ",
        "price": "12.5",
        "description": "A mug, in blue.",
        "tags": ["kitchen", "blue"],
        "attributes": {"color": "blue", "capacity_ml": 350, "nested": {"a": [1, 2]}},
    }
    response = client.post(ITEMS, json=body, headers=member.headers)
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["name"] == "Blue mug"
    assert data["price"] == "12.50"
    assert data["tags"] == ["blue", "kitchen"]
    assert data["attributes"] == body["attributes"]
    assert data["owner_id"] == member.user.id
    assert response.headers["location"] == f"{ITEMS}/{data['id']}"
    assert response.headers["etag"] == f'"{data["id"]}.1"'
    got = client.get(response.headers["location"], headers=member.headers)
    assert got.json()["data"] == data
    assert got.headers["etag"] == response.headers["etag"]


@pytest.mark.parametrize(
    "price",
    ["0", "0.01", "999999999999.99", "123456789012.5", "19.99", "0.1", "100"],
)
def test_prices_round_trip_exactly(client: TestClient, member: Account, price: str) -> None:
    data = create(client, member, price=price)
    assert Decimal(data["price"]) == Decimal(price)
    assert data["price"] == f"{Decimal(price):.2f}"
    again = client.get(f"{ITEMS}/{data['id']}", headers=member.headers).json()["data"]
    assert again["price"] == data["price"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "price": 12.5}, "price"),  # a JSON number: floats are refused
        ({"name": "x", "price": "-1"}, "price"),
        ({"name": "x", "price": "1.005"}, "price"),
        ({"name": "x", "price": "1e3"}, "price"),
        ({"name": "x", "price": "01"}, "price"),
        ({"name": "x", "price": "1234567890123"}, "price"),
        ({"name": "", "price": "1"}, "name"),
        ({"name": "   ", "price": "1"}, "name"),
        ({"name": "x" * 201, "price": "1"}, "name"),
        ({"name": "a\u0000b", "price": "1"}, "name"),
        ({"name": "x", "price": "1", "tags": ["Blue"]}, "tags.0"),
        ({"name": "x", "price": "1", "tags": ["a", "a"]}, "tags"),
        ({"name": "x", "price": "1", "tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"name": "x", "price": "1", "attributes": [1]}, "attributes"),
        ({"name": "x", "price": "1", "description": "y" * 2001}, "description"),
        ({"price": "1"}, "name"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(
    client: TestClient, member: Account, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(
        client.post(ITEMS, json=body, headers=member.headers), 422, "validation_error"
    )
    assert field in [e["field"] for e in problem["errors"]], problem["errors"]


@pytest.mark.parametrize("field", ["id", "owner_id", "created_at", "updated_at", "version"])
def test_mass_assignment_is_refused(client: TestClient, member: Account, field: str) -> None:
    body = {"name": "x", "price": "1", field: 1}
    problem = assert_problem(
        client.post(ITEMS, json=body, headers=member.headers), 422, "validation_error"
    )
    assert field in problem["detail"] + str(problem["errors"])
    item = create(client, member)
    patch = client.patch(f"{ITEMS}/{item['id']}", json={field: 1}, headers=member.headers)
    assert_problem(patch, 422, "validation_error")


def test_attributes_are_bounded_in_bytes(client: TestClient, member: Account) -> None:
    big = {f"k{i}": "x" * 200 for i in range(45)}  # 45 keys, ~9.5 KB
    problem = assert_problem(
        client.post(
            ITEMS, json={"name": "x", "price": "1", "attributes": big}, headers=member.headers
        ),
        422,
        "attributes_too_large",
    )
    assert problem["errors"][0]["field"] == "attributes"
    assert client.get(ITEMS, headers=member.headers).json()["data"]["total"] == 0  # nothing stored


def test_attributes_are_bounded_in_depth_before_anything_is_stored(
    client: TestClient, member: Account
) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(8):  # 9 levels with the outer object
        node["a"] = {}
        node = node["a"]
    body = {"name": "x", "price": "1", "attributes": deep}
    problem = assert_problem(
        client.post(ITEMS, json=body, headers=member.headers), 422, "attributes_too_deep"
    )
    assert problem["errors"][0]["field"] == "attributes"
    assert client.get(ITEMS, headers=member.headers).json()["data"]["total"] == 0
    ok = deep["a"]  # 8 levels
    assert (
        client.post(ITEMS, json={**body, "attributes": ok}, headers=member.headers).status_code
        == 201
    )
    item = create(client, member)
    patch = client.patch(f"{ITEMS}/{item['id']}", json={"attributes": deep}, headers=member.headers)
    assert_problem(patch, 422, "attributes_too_deep")
    assert client.get(f"{ITEMS}/{item['id']}", headers=member.headers).json()["data"] == item


def test_others_items_are_indistinguishable_from_missing_ones(
    client: TestClient, member: Account, other: Account
) -> None:
    theirs = create(client, other)
    missing = 10**9
    for item_id in (theirs["id"], missing):
        url = f"{ITEMS}/{item_id}"
        responses = [
            client.get(url, headers=member.headers),
            client.patch(url, json={"name": "mine now"}, headers=member.headers),
            client.delete(url, headers=member.headers),
        ]
        for response in responses:
            body = assert_problem(response, 404, "not_found")
            assert body["detail"] == f"Item {item_id} does not exist."
    assert client.get(ITEMS, headers=member.headers).json()["data"]["total"] == 0
    # Untouched.
    assert client.get(f"{ITEMS}/{theirs['id']}", headers=other.headers).json()["data"] == theirs


def test_readonly_reads_everything_and_writes_nothing(
    client: TestClient, member: Account, reader: Account
) -> None:
    item = create(client, member)
    assert client.get(f"{ITEMS}/{item['id']}", headers=reader.headers).status_code == 200
    assert client.get(ITEMS, headers=reader.headers).json()["data"]["total"] == 1
    url = f"{ITEMS}/{item['id']}"
    assert_problem(
        client.post(ITEMS, json={"name": "x", "price": "1"}, headers=reader.headers),
        403,
        "forbidden",
    )
    assert_problem(client.patch(url, json={"name": "x"}, headers=reader.headers), 403, "forbidden")
    assert_problem(client.delete(url, headers=reader.headers), 403, "forbidden")
    assert client.get(url, headers=member.headers).json()["data"] == item


def test_admin_sees_and_changes_every_item_and_filters_by_owner(
    client: TestClient, admin: Account, member: Account, other: Account
) -> None:
    mine, theirs = create(client, member, name="mine"), create(client, other, name="theirs")
    everything = client.get(ITEMS, headers=admin.headers).json()["data"]
    assert everything["total"] == 2
    only = client.get(f"{ITEMS}?owner_id={other.user.id}", headers=admin.headers).json()["data"]
    assert [i["name"] for i in only["items"]] == ["theirs"]
    # A user filtering by someone else's id still sees only their own (none here).
    assert (
        client.get(f"{ITEMS}?owner_id={other.user.id}", headers=member.headers).json()["data"][
            "total"
        ]
        == 0
    )
    changed = client.patch(f"{ITEMS}/{theirs['id']}", json={"price": "1"}, headers=admin.headers)
    assert changed.status_code == 200 and changed.json()["data"]["owner_id"] == other.user.id
    assert client.delete(f"{ITEMS}/{mine['id']}", headers=admin.headers).status_code == 204


def test_patch_changes_only_the_given_fields(client: TestClient, member: Account) -> None:
    item = create(client, member, description="d", tags=["a"], attributes={"k": 1})
    url = f"{ITEMS}/{item['id']}"
    data = client.patch(url, json={"price": "3"}, headers=member.headers).json()["data"]
    assert (data["price"], data["description"], data["tags"], data["attributes"]) == (
        "3.00",
        "d",
        ["a"],
        {"k": 1},
    )
    data = client.patch(
        url, json={"description": None, "tags": [], "attributes": {}}, headers=member.headers
    ).json()["data"]
    assert (data["description"], data["tags"], data["attributes"]) == (None, [], {})
    assert data["updated_at"] >= item["updated_at"] and data["created_at"] == item["created_at"]
    assert_problem(client.patch(url, json={}, headers=member.headers), 422, "validation_error")


def test_if_none_match_gives_304_until_the_item_changes(
    client: TestClient, member: Account
) -> None:
    item = create(client, member)
    url = f"{ITEMS}/{item['id']}"
    etag = client.get(url, headers=member.headers).headers["etag"]
    for header in (etag, f"W/{etag}", f'"x", {etag}', "*"):
        cached = client.get(url, headers={**member.headers, "If-None-Match": header})
        assert cached.status_code == 304, header
        assert cached.content == b"" and cached.headers["etag"] == etag
        assert "content-type" not in cached.headers
    client.patch(url, json={"name": "new"}, headers=member.headers)
    fresh = client.get(url, headers={**member.headers, "If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.json()["data"]["name"] == "new"
    assert fresh.headers["etag"] != etag


def test_if_match_protects_updates_and_deletes(client: TestClient, member: Account) -> None:
    item = create(client, member)
    url = f"{ITEMS}/{item['id']}"
    first = client.get(url, headers=member.headers).headers["etag"]
    ok = client.patch(url, json={"name": "v2"}, headers={**member.headers, "If-Match": first})
    assert ok.status_code == 200
    second = ok.headers["etag"]
    assert second == f'"{item["id"]}.2"'
    stale = client.patch(url, json={"name": "lost"}, headers={**member.headers, "If-Match": first})
    body = assert_problem(stale, 412, "precondition_failed")
    assert second in body["detail"]
    weak = client.delete(url, headers={**member.headers, "If-Match": f"W/{second}"})
    assert_problem(weak, 412, "precondition_failed")  # If-Match compares strongly
    assert_problem(
        client.delete(url, headers={**member.headers, "If-Match": first}),
        412,
        "precondition_failed",
    )
    assert client.get(url, headers=member.headers).json()["data"]["name"] == "v2"
    assert (
        client.delete(url, headers={**member.headers, "If-Match": f'"0.0", {second}'}).status_code
        == 204
    )
    assert_problem(client.get(url, headers=member.headers), 404, "not_found")


def test_a_concurrent_writer_holding_the_same_version_loses(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    # Two requests read version 1; the first update wins, the second one's versioned
    # UPDATE matches no row: 412, never a lost update.
    item_id = create(client, member)["id"]
    res = resources(app)
    cache = res.cache
    with res.db.unit_of_work() as first, res.db.unit_of_work() as second:
        principal = _principal(app, member)
        # Each session holds the row it read, as a request does between its read and write.
        held = [uow.session.get(Item, item_id) for uow in (first, second)]
        assert [row.version for row in held if row is not None] == [1, 1]
        service.update_item(first, principal, item_id, cache=cache, name="first")
        with pytest.raises(service.PreconditionFailedError):
            service.update_item(second, principal, item_id, cache=cache, name="second")
    assert (
        client.get(f"{ITEMS}/{item_id}", headers=member.headers).json()["data"]["name"] == "first"
    )


def _principal(app: connexion.FlaskApp, who: Account) -> Principal:
    return Principal(user=who.user, method="bearer")


def test_deleting_the_owner_deletes_their_items_and_tags(
    app: connexion.FlaskApp, client: TestClient, admin: Account, member: Account, other: Account
) -> None:
    create(client, member, tags=["a", "b"])
    kept = create(client, other, tags=["a"])
    assert (
        client.delete(f"/api/v1/users/{member.user.id}", headers=admin.headers).status_code == 204
    )
    with resources(app).db.unit_of_work() as uow:
        assert [i.id for i in uow.session.exec(select(Item)).all()] == [kept["id"]]
        assert [(t.item_id, t.tag) for t in uow.session.exec(select(ItemTag)).all()] == [
            (kept["id"], "a")
        ]


def test_list_filters_by_tag_q_and_sorts_by_price(client: TestClient, member: Account) -> None:
    create(client, member, name="Red 50% mug", price="5", tags=["red", "mug"])
    create(client, member, name="Blue mug", price="12.5", tags=["blue", "mug"])
    create(client, member, name="Blue plate", price="7", tags=["blue"])

    def names(query: str) -> list[str]:
        response = client.get(f"{ITEMS}?{query}", headers=member.headers)
        assert response.status_code == 200, response.text
        return [i["name"] for i in response.json()["data"]["items"]]

    assert names("tag=mug&sort=price&order=asc") == ["Red 50% mug", "Blue mug"]
    assert names("tag=blue&sort=price&order=desc") == ["Blue mug", "Blue plate"]
    assert names("q=BLUE&sort=name&order=asc") == ["Blue mug", "Blue plate"]
    assert names("q=50%25") == ["Red 50% mug"]
    assert names("q=%25") == ["Red 50% mug"]  # a literal percent sign, not a wildcard
    assert names("tag=none") == []
    assert_problem(
        client.get(f"{ITEMS}?sort=owner_id", headers=member.headers), 400, "invalid_parameter"
    )
    assert_problem(
        client.get(f"{ITEMS}?tag=Blue", headers=member.headers), 400, "invalid_parameter"
    )
