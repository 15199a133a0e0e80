"""Idempotency-Key on POST /ai/completions and /recipes/generate: replay without a second
provider call or charge, mismatch, in progress, per user, failures not stored, expiry."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from app.errors import ConflictError
from app.idempotency import service as idempotency
from app.idempotency.models import IdempotencyKey
from app.infra.column_types import utcnow
from app.main import create_app
from app.recipes.models import Recipe
from tests.auth_helpers import Account, account, resources
from tests.problems import assert_problem

COMPLETE, GENERATE = "/api/v1/ai/completions", "/api/v1/recipes/generate"


def rows(app: connexion.FlaskApp, model: Any) -> list[Any]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(model)).all())


def post(client: TestClient, who: Account, url: str, body: Any, key: str) -> Any:
    return client.post(url, json=body, headers={**who.headers, "Idempotency-Key": key})


def test_same_key_same_body_replays_without_a_second_call(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    ask = {"prompt": "once only", "cache": False}
    first = post(client, member, COMPLETE, ask, "k-1")
    again = post(client, member, COMPLETE, ask, "k-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(rows(app, AIUsage)) == 1  # one provider call, one charge


def test_recipe_replay_keeps_status_and_location_and_saves_once(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    ask = {"ingredients": ["egg"]}
    first = post(client, member, GENERATE, ask, "r-1")
    again = post(client, member, GENERATE, ask, "r-1")
    assert first.status_code == again.status_code == 201
    assert again.headers["location"] == first.headers["location"]
    assert len(rows(app, Recipe)) == 1


def test_same_key_other_body_is_422(client: TestClient, member: Account) -> None:
    post(client, member, COMPLETE, {"prompt": "a"}, "k-2")
    body = assert_problem(
        post(client, member, COMPLETE, {"prompt": "b"}, "k-2"), 422, "idempotency_key_mismatch"
    )
    assert body["errors"][0]["field"] == "Idempotency-Key"
    # Another operation with the same key is another request too.
    assert_problem(
        post(client, member, GENERATE, {"ingredients": ["a"]}, "k-2"),
        422,
        "idempotency_key_mismatch",
    )


def test_keys_are_per_user(app: connexion.FlaskApp, client: TestClient, member: Account) -> None:
    other = account(app, client, "other@example.com")
    assert post(client, member, COMPLETE, {"prompt": "a"}, "shared").status_code == 200
    theirs = post(client, other, COMPLETE, {"prompt": "b"}, "shared")
    assert theirs.status_code == 200 and "idempotent-replayed" not in theirs.headers


def test_a_duplicate_while_the_first_runs_is_409(make_settings: Any) -> None:
    app = create_app(make_settings(ai_fake_latency_ms=800))
    client = app.test_client()
    who = account(app, client, "slow@example.com")
    results: list[Any] = []
    first = threading.Thread(
        target=lambda: results.append(post(app.test_client(), who, COMPLETE, {"prompt": "s"}, "k"))
    )
    first.start()
    for _ in range(100):  # wait until the first request has claimed the key
        if rows(app, IdempotencyKey):
            break
        threading.Event().wait(0.02)
    duplicate = post(client, who, COMPLETE, {"prompt": "s"}, "k")
    first.join(timeout=10)
    assert_problem(duplicate, 409, "request_in_progress")
    assert int(duplicate.headers["retry-after"]) >= 1
    assert results[0].status_code == 200
    assert post(client, who, COMPLETE, {"prompt": "s"}, "k").headers["idempotent-replayed"]


def test_failures_are_not_stored(make_settings: Any) -> None:
    app = create_app(make_settings(ai_fake_fail_status=500))
    client = app.test_client()
    who = account(app, client, "fails@example.com")
    assert_problem(post(client, who, COMPLETE, {"prompt": "x"}, "k"), 502, "ai_provider_error")
    assert rows(app, IdempotencyKey) == []
    assert_problem(post(client, who, COMPLETE, {"prompt": "x"}, "k"), 502, "ai_provider_error")
    assert len(rows(app, AIUsage)) == 2  # the retry really ran


def test_expired_and_stale_keys_are_reused(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    post(client, member, COMPLETE, {"prompt": "old"}, "k-old")
    with resources(app).db.transaction() as session:
        row = session.exec(select(IdempotencyKey)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        # A claim whose request died long ago.
        session.add(
            IdempotencyKey(
                user_id=member.user.id,
                key="k-dead",
                fingerprint="x" * 64,
                created_at=utcnow() - idempotency.STALE_AFTER - timedelta(minutes=1),
                expires_at=utcnow() + timedelta(hours=23),
            )
        )
    fresh = post(client, member, COMPLETE, {"prompt": "new body"}, "k-old")
    assert fresh.status_code == 200 and "idempotent-replayed" not in fresh.headers
    assert post(client, member, COMPLETE, {"prompt": "any"}, "k-dead").status_code == 200


@pytest.mark.parametrize("key", [b"", b"x" * 256, b"has space", b"tab\tkey", "ünï".encode()])
def test_malformed_keys_are_400(client: TestClient, member: Account, key: bytes) -> None:
    response = client.post(
        COMPLETE, json={"prompt": "x"}, headers={**member.headers, "Idempotency-Key": key}
    )
    assert_problem(response, 400, "invalid_parameter")


def test_without_a_key_nothing_is_stored(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    client.post(COMPLETE, json={"prompt": "x"}, headers=member.headers)
    assert rows(app, IdempotencyKey) == []


def test_a_request_that_outlived_its_claim_cannot_finish_the_new_one(
    app: connexion.FlaskApp, member: Account
) -> None:
    user_id = member.user.id
    assert user_id is not None
    db = resources(app).db
    print_ = idempotency.fingerprint("createCompletion", {"prompt": "x"})
    with db.unit_of_work() as uow:
        first = idempotency.begin(uow, user_id, "k", print_)
        assert isinstance(first, idempotency.Claim)
        with uow.transaction() as session:  # the first request has run for hours: stale
            row = session.exec(select(IdempotencyKey)).one()
            row.created_at = utcnow() - idempotency.STALE_AFTER - timedelta(seconds=1)
            session.add(row)
        stale_claim = idempotency.Claim(created_at=row.created_at)
        second = idempotency.begin(uow, user_id, "k", print_)
        assert isinstance(second, idempotency.Claim)
        # The old request finishes or fails late: the new claim is untouched.
        idempotency.finish(uow, user_id, "k", stale_claim, idempotency.Stored(200, {"a": 1}, {}))
        idempotency.release(uow, user_id, "k", stale_claim)
        with pytest.raises(ConflictError):
            idempotency.begin(uow, user_id, "k", print_)  # still in progress (the new one)
        idempotency.finish(uow, user_id, "k", second, idempotency.Stored(200, {"b": 2}, {}))
        replay = idempotency.begin(uow, user_id, "k", print_)
        assert isinstance(replay, idempotency.Stored) and replay.body == {"b": 2}
