"""Documents: the lifecycle and its illegal moves, visibility of drafts and published
documents by role, edit rights, ETags, bad input and the delete-with-author policy."""

from __future__ import annotations

from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.documents.models import Document, DocumentTag
from tests.auth_helpers import Account, resources
from tests.problems import assert_problem

DOCS = "/api/v1/documents"


def draft(client: TestClient, who: Account, **fields: Any) -> dict[str, Any]:
    response = client.post(DOCS, json={"title": "Notes", **fields}, headers=who.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def act(client: TestClient, who: Account, doc_id: int, action: str, **headers: str) -> Any:
    return client.post(f"{DOCS}/{doc_id}/{action}", headers={**who.headers, **headers})


def test_a_new_document_is_a_draft_with_location_and_etag(
    client: TestClient, member: Account
) -> None:
    response = client.post(
        DOCS,
        json={"title": "  Notes ", "content": "# Hi\n\nText.", "tags": ["news", "a"]},
        headers=member.headers,
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["title"], data["status"], data["published_at"]) == ("Notes", "draft", None)
    assert data["tags"] == ["a", "news"] and data["author_id"] == member.user.id
    assert response.headers["location"] == f"{DOCS}/{data['id']}"
    assert response.headers["etag"] == f'"{data["id"]}.1"'


def test_publish_then_archive(client: TestClient, member: Account) -> None:
    doc = draft(client, member)
    published = act(client, member, doc["id"], "publish")
    assert published.status_code == 200
    data = published.json()["data"]
    assert data["status"] == "published" and data["published_at"] is not None
    archived = act(client, member, doc["id"], "archive").json()["data"]
    assert archived["status"] == "archived"
    assert archived["published_at"] == data["published_at"]  # kept: when it was published


@pytest.mark.parametrize(
    ("path", "action", "status"),
    [
        (["publish"], "publish", "published"),  # publishing twice
        (["archive"], "publish", "archived"),  # an archived document stays archived
        (["archive"], "archive", "archived"),
        (["publish", "archive"], "archive", "archived"),
        (["publish", "archive"], "publish", "archived"),
    ],
)
def test_illegal_transitions_are_409_and_change_nothing(
    client: TestClient, member: Account, path: list[str], action: str, status: str
) -> None:
    doc = draft(client, member)
    for step in path:
        assert act(client, member, doc["id"], step).status_code == 200
    before = client.get(f"{DOCS}/{doc['id']}", headers=member.headers)
    body = assert_problem(act(client, member, doc["id"], action), 409, "invalid_transition")
    assert body["detail"] == f"Cannot {action} a document that is {status}."
    after = client.get(f"{DOCS}/{doc['id']}", headers=member.headers)
    assert after.json() == before.json() and after.headers["etag"] == before.headers["etag"]


def test_drafts_are_private_and_published_documents_are_public(
    client: TestClient, member: Account, other: Account, reader: Account, admin: Account
) -> None:
    doc = draft(client, member, title="Secret draft")
    url = f"{DOCS}/{doc['id']}"
    for outsider in (other, reader):
        assert_problem(client.get(url, headers=outsider.headers), 404, "not_found")
        assert client.get(DOCS, headers=outsider.headers).json()["data"]["total"] == 0
    assert client.get(url, headers=admin.headers).status_code == 200
    assert client.get(DOCS, headers=admin.headers).json()["data"]["total"] == 1
    act(client, member, doc["id"], "publish")
    for anyone in (other, reader, admin, member):
        assert client.get(url, headers=anyone.headers).status_code == 200
        listed = client.get(DOCS, headers=anyone.headers).json()["data"]["items"]
        assert [d["id"] for d in listed] == [doc["id"]]
    act(client, member, doc["id"], "archive")
    for outsider in (other, reader):
        assert_problem(client.get(url, headers=outsider.headers), 404, "not_found")


def test_someone_elses_draft_is_a_404_for_every_operation(
    client: TestClient, member: Account, other: Account
) -> None:
    doc = draft(client, other)
    for doc_id in (doc["id"], 10**9):
        url = f"{DOCS}/{doc_id}"
        for response in (
            client.get(url, headers=member.headers),
            client.patch(url, json={"title": "mine"}, headers=member.headers),
            client.delete(url, headers=member.headers),
            act(client, member, doc_id, "publish"),
            act(client, member, doc_id, "archive"),
        ):
            body = assert_problem(response, 404, "not_found")
            assert body["detail"] == f"Document {doc_id} does not exist."
    assert client.get(f"{DOCS}/{doc['id']}", headers=other.headers).json()["data"] == doc


def test_a_visible_document_of_someone_else_is_read_only(
    client: TestClient, member: Account, other: Account, admin: Account
) -> None:
    doc = draft(client, other)
    act(client, other, doc["id"], "publish")
    url = f"{DOCS}/{doc['id']}"
    assert_problem(client.patch(url, json={"title": "x"}, headers=member.headers), 403, "forbidden")
    assert_problem(client.delete(url, headers=member.headers), 403, "forbidden")
    assert_problem(act(client, member, doc["id"], "archive"), 403, "forbidden")
    assert client.patch(url, json={"title": "By admin"}, headers=admin.headers).status_code == 200
    assert act(client, admin, doc["id"], "archive").status_code == 200


def test_readonly_writes_nothing(client: TestClient, member: Account, reader: Account) -> None:
    doc = draft(client, member)
    act(client, member, doc["id"], "publish")
    url = f"{DOCS}/{doc['id']}"
    assert_problem(client.post(DOCS, json={"title": "x"}, headers=reader.headers), 403, "forbidden")
    assert_problem(client.patch(url, json={"title": "x"}, headers=reader.headers), 403, "forbidden")
    assert_problem(client.delete(url, headers=reader.headers), 403, "forbidden")
    assert_problem(act(client, reader, doc["id"], "archive"), 403, "forbidden")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": " \u3000 "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "x", "content": "a\u0000b"}, "content"),
        ({"title": "x", "content": "y" * 100_001}, "content"),
        ({"title": "x", "tags": ["Not a slug"]}, "tags.0"),
        ({"title": "x", "status": "published"}, "status"),  # mass assignment, named
        ({"title": "x", "author_id": 1}, "author_id"),
        ({"title": "x", "published_at": "2026-11-25T10:00:00Z"}, "published_at"),
        ({"title": "x", "id": 5}, "id"),
    ],
)
def test_bad_bodies_are_422(
    client: TestClient, member: Account, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(
        client.post(DOCS, json=body, headers=member.headers), 422, "validation_error"
    )
    fields = [e["field"] for e in problem["errors"]]
    assert field in fields, problem
    assert client.get(DOCS, headers=member.headers).json()["data"]["total"] == 0


def test_status_cannot_be_patched(client: TestClient, member: Account) -> None:
    doc = draft(client, member)
    patch = client.patch(
        f"{DOCS}/{doc['id']}", json={"status": "published"}, headers=member.headers
    )
    assert_problem(patch, 422, "validation_error")
    assert (
        client.get(f"{DOCS}/{doc['id']}", headers=member.headers).json()["data"]["status"]
        == "draft"
    )


def test_etags_across_edits_and_transitions(client: TestClient, member: Account) -> None:
    doc = draft(client, member)
    url = f"{DOCS}/{doc['id']}"
    v1 = client.get(url, headers=member.headers).headers["etag"]
    assert client.get(url, headers={**member.headers, "If-None-Match": v1}).status_code == 304
    edited = client.patch(url, json={"content": "new"}, headers={**member.headers, "If-Match": v1})
    v2 = edited.headers["etag"]
    assert v2 != v1 and edited.json()["data"]["content"] == "new"
    assert_problem(
        act(client, member, doc["id"], "publish", **{"If-Match": v1}), 412, "precondition_failed"
    )
    assert client.get(url, headers=member.headers).json()["data"]["status"] == "draft"
    published = act(client, member, doc["id"], "publish", **{"If-Match": v2})
    assert published.status_code == 200 and published.headers["etag"] != v2
    assert_problem(
        client.delete(url, headers={**member.headers, "If-Match": v2}), 412, "precondition_failed"
    )
    assert (
        client.delete(
            url, headers={**member.headers, "If-Match": published.headers["etag"]}
        ).status_code
        == 204
    )


def test_list_filters(client: TestClient, member: Account, other: Account) -> None:
    a = draft(client, member, title="Alpha notes", tags=["x"])
    b = draft(client, member, title="Beta 100% notes", tags=["x", "y"])
    c = draft(client, other, title="Gamma", tags=["y"])
    act(client, member, b["id"], "publish")
    act(client, other, c["id"], "publish")

    def ids(query: str) -> list[int]:
        response = client.get(f"{DOCS}?{query}", headers=member.headers)
        assert response.status_code == 200, response.text
        return [d["id"] for d in response.json()["data"]["items"]]

    assert ids("sort=title&order=asc") == [a["id"], b["id"], c["id"]]
    assert ids("status=draft") == [a["id"]]
    assert ids("status=published&sort=title&order=asc") == [b["id"], c["id"]]
    assert ids("tag=y&sort=id&order=asc") == [b["id"], c["id"]]
    assert ids(f"author_id={other.user.id}") == [c["id"]]
    assert ids("q=%25") == [b["id"]]
    assert ids("q=NOTES&sort=id&order=asc") == [a["id"], b["id"]]
    assert_problem(
        client.get(f"{DOCS}?status=deleted", headers=member.headers), 400, "invalid_parameter"
    )
    assert_problem(
        client.get(f"{DOCS}?sort=content", headers=member.headers), 400, "invalid_parameter"
    )


def test_deleting_the_author_deletes_their_documents(
    app: connexion.FlaskApp, client: TestClient, admin: Account, member: Account, other: Account
) -> None:
    gone = draft(client, member, tags=["a"])
    act(client, member, gone["id"], "publish")
    kept = draft(client, other, tags=["b"])
    assert (
        client.delete(f"/api/v1/users/{member.user.id}", headers=admin.headers).status_code == 204
    )
    with resources(app).db.unit_of_work() as uow:
        assert [d.id for d in uow.session.exec(select(Document)).all()] == [kept["id"]]
        tags = uow.session.exec(select(DocumentTag)).all()
        assert [(t.document_id, t.tag) for t in tags] == [(kept["id"], "b")]
