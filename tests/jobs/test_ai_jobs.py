"""Async jobs through the real app, run in-process (a thread pool in the API process):
POST /ai/jobs (202 + Location), GET /ai/jobs/{id} until done, GET /ai/jobs (owner scope,
pagination, filters), DELETE /ai/jobs/{id} (cancel), bad input, roles, idempotency, and
jobs queued before a restart picked up at startup. The Celery path: test_ai_jobs_live.py."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.principal import Principal
from app.completions.models import AIUsage
from app.idempotency import service as idempotency
from app.jobs import service as jobs
from app.jobs.models import Job
from app.main import create_app
from app.recipes.models import Recipe
from tests.auth_helpers import Account, account, resources
from tests.problems import assert_problem, assert_problem_type

URL = "/api/v1/ai/jobs"
ASK = {"kind": "completion", "completion": {"prompt": "Say hello.", "cache": False}}
RECIPE = {"kind": "recipe", "recipe": {"ingredients": ["egg", "rice"], "cuisine_type": "Thai"}}
DONE = {"succeeded", "failed", "cancelled"}


@pytest.fixture
def make_jobs_app(make_settings: Any) -> Iterator[Callable[..., connexion.FlaskApp]]:
    """Apps whose jobs run in-process; each is closed (its pool drained) after the test."""
    made: list[connexion.FlaskApp] = []

    def make(**overrides: Any) -> connexion.FlaskApp:
        app = create_app(make_settings(jobs_backend="inprocess", **overrides))
        made.append(app)
        return app

    yield make
    for app in made:
        resources(app).close()


@pytest.fixture
def japp(make_jobs_app: Callable[..., connexion.FlaskApp]) -> connexion.FlaskApp:
    return make_jobs_app()


@pytest.fixture
def jclient(japp: connexion.FlaskApp) -> TestClient:
    return japp.test_client()


@pytest.fixture
def owner(japp: connexion.FlaskApp, jclient: TestClient) -> Account:
    return account(japp, jclient, "jobs@example.com")


def rows(app: connexion.FlaskApp, model: Any) -> list[Any]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(model)).all())


def wait_for(
    client: TestClient, who: Account, job_id: int, statuses: set[str], timeout: float = 15
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"{URL}/{job_id}", headers=who.headers)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()["data"]
        if job["status"] in statuses:
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job['status']}"
        time.sleep(0.05)


def start(client: TestClient, who: Account, body: Any = ASK, **headers: str) -> Any:
    return client.post(URL, json=body, headers={**who.headers, **headers})


def test_a_completion_job_runs_and_keeps_its_result(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    response = start(jclient, owner)
    assert response.status_code == 202, response.text
    job = response.json()["data"]
    assert response.headers["location"] == f"/api/v1/ai/jobs/{job['id']}"
    assert response.headers["x-request-id"] and response.headers["api-version"] == "1.0.0"
    assert job["kind"] == "completion" and job["request"] == ASK
    assert job["owner_id"] == owner.user.id
    assert job["request_id"] == response.headers["x-request-id"]
    done = wait_for(jclient, owner, job["id"], DONE)
    assert done["status"] == "succeeded", done
    assert done["result"]["text"].endswith("Say hello.")
    assert done["result"]["usage"]["total_tokens"] > 0
    assert done["attempts"] == 1 and "problem" not in done
    assert done["started_at"] >= done["created_at"] and done["finished_at"] >= done["started_at"]
    usage = rows(japp, AIUsage)
    assert len(usage) == 1 and usage[0].request_id == job["request_id"]


def test_a_recipe_job_keeps_the_recipe(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    job = start(jclient, owner, RECIPE).json()["data"]
    done = wait_for(jclient, owner, job["id"], DONE)
    assert done["status"] == "succeeded", done
    saved = done["result"]["saved_id"]
    assert done["result"]["recipe"]["title"] and done["result"]["prompt_version"]
    recipe = jclient.get(f"/api/v1/recipes/{saved}", headers=owner.headers).json()["data"]
    assert recipe["cuisine_type"] == "Thai" and recipe["owner_id"] == owner.user.id


def test_a_recipe_job_with_save_false_keeps_none(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    body = {"kind": "recipe", "recipe": {"ingredients": ["egg"], "save": False}}
    done = wait_for(jclient, owner, start(jclient, owner, body).json()["data"]["id"], DONE)
    assert done["status"] == "succeeded" and done["result"]["saved_id"] is None
    assert rows(japp, Recipe) == []


def test_a_failing_provider_fails_the_job_with_its_problem(
    make_jobs_app: Callable[..., connexion.FlaskApp],
) -> None:
    app = make_jobs_app(ai_fake_fail_status=500)
    client = app.test_client()
    who = account(app, client, "fails@example.com")
    job = start(client, who).json()["data"]
    done = wait_for(client, who, job["id"], DONE)
    assert done["status"] == "failed" and done["result"] is None
    problem = done["problem"]
    assert (problem["status"], problem["code"]) == (502, "ai_provider_error")
    assert_problem_type(problem)
    assert problem["request_id"] == job["request_id"]
    assert "sk-secret" not in str(done)
    assert len(rows(app, AIUsage)) == 1  # the failed call is recorded


def test_a_job_that_cannot_fit_is_refused_at_submission(
    make_jobs_app: Callable[..., connexion.FlaskApp],
) -> None:
    app = make_jobs_app(ai_daily_tokens_user=60)
    client = app.test_client()
    who = account(app, client, "quota@example.com")
    # A job that cannot fit at all is refused when it is submitted.
    too_big = {"kind": "completion", "completion": {"prompt": "x", "max_tokens": 100}}
    assert_problem(start(client, who, too_big), 429, "ai_quota_exceeded")
    fits = {"kind": "completion", "completion": {"prompt": "x", "max_tokens": 20}}
    first = wait_for(client, who, start(client, who, fits).json()["data"]["id"], DONE)
    assert first["status"] == "succeeded"
    (row,) = rows(app, AIUsage)
    assert (row.operation, row.outcome) == ("job", "ok")


def test_an_unsupported_model_is_refused_at_once(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    body = {"kind": "completion", "completion": {"prompt": "x", "model": "not-allowed"}}
    assert_problem(start(jclient, owner, body), 400, "unsupported_model")
    recipe = {"kind": "recipe", "recipe": {"ingredients": ["egg"], "provider": "openai"}}
    assert_problem(start(jclient, owner, recipe), 400, "unsupported_model")
    assert rows(japp, Job) == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"kind": "completion"},
        {"kind": "completion", "recipe": {"ingredients": ["egg"]}},
        {"kind": "recipe", "completion": {"prompt": "x"}},
        {"kind": "other", "completion": {"prompt": "x"}},
        {**ASK, "owner_id": 1},
        {"kind": "completion", "completion": {"prompt": "x", "messages": []}},
        {"kind": "completion", "completion": {}},
        {"kind": "recipe", "recipe": {"ingredients": []}},
        {"kind": "recipe", "recipe": {"ingredients": ["egg"], "status": "succeeded"}},
        [ASK],
        "completion",
    ],
)
def test_bad_bodies_are_refused_and_store_nothing(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account, body: Any
) -> None:
    response = start(jclient, owner, body)
    assert response.status_code in (400, 422), response.text
    assert_problem(response, response.status_code, response.json()["code"])
    assert response.json()["code"] in ("validation_error", "bad_request")
    assert rows(japp, Job) == []


def test_malformed_json_and_media_type(jclient: TestClient, owner: Account) -> None:
    headers = {**owner.headers, "Content-Type": "application/json"}
    assert_problem(jclient.post(URL, content=b"{", headers=headers), 400, "malformed_json")
    plain = {**owner.headers, "Content-Type": "text/plain"}
    assert_problem(jclient.post(URL, content=b"x", headers=plain), 415, "unsupported_media_type")


def test_unknown_ids_are_404(jclient: TestClient, owner: Account) -> None:
    assert_problem(jclient.get(f"{URL}/999999", headers=owner.headers), 404, "not_found")
    assert_problem(jclient.delete(f"{URL}/999999", headers=owner.headers), 404, "not_found")
    assert_problem(jclient.get(f"{URL}/0", headers=owner.headers), 400, "invalid_parameter")
    assert_problem(jclient.get(f"{URL}/abc", headers=owner.headers), 404, "not_found")


def test_anonymous_callers_are_401(jclient: TestClient) -> None:
    assert_problem(jclient.post(URL, json=ASK), 401, "not_authenticated")
    assert_problem(jclient.get(URL), 401, "not_authenticated")
    assert_problem(jclient.get(f"{URL}/1"), 401, "not_authenticated")
    assert_problem(jclient.delete(f"{URL}/1"), 401, "not_authenticated")


def test_owner_scope_like_items(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    other = account(japp, jclient, "other@example.com")
    admin = account(japp, jclient, "boss@example.com", "admin")
    reader = account(japp, jclient, "auditor@example.com", "readonly")
    mine = start(jclient, owner).json()["data"]["id"]
    theirs = start(jclient, other).json()["data"]["id"]
    wait_for(jclient, owner, mine, DONE)
    wait_for(jclient, other, theirs, DONE)

    # Someone else's job: 404, word for word like a missing one.
    missing = jclient.get(f"{URL}/999999", headers=owner.headers).json()["detail"]
    hidden = assert_problem(jclient.get(f"{URL}/{theirs}", headers=owner.headers), 404, "not_found")
    assert hidden["detail"] == missing.replace("999999", str(theirs))
    assert_problem(jclient.delete(f"{URL}/{theirs}", headers=owner.headers), 404, "not_found")
    listed = jclient.get(URL, headers=owner.headers).json()["data"]
    assert [j["id"] for j in listed["items"]] == [mine] and listed["total"] == 1

    # admin and readonly read everyone's, and may filter by owner.
    for who in (admin, reader):
        page = jclient.get(URL, headers=who.headers).json()["data"]
        assert {j["id"] for j in page["items"]} == {mine, theirs}
        only = jclient.get(URL, params={"owner_id": other.user.id}, headers=who.headers)
        assert [j["id"] for j in only.json()["data"]["items"]] == [theirs]
        assert jclient.get(f"{URL}/{theirs}", headers=who.headers).status_code == 200
    # A user's owner_id filter cannot widen their scope.
    narrowed = jclient.get(URL, params={"owner_id": other.user.id}, headers=owner.headers)
    assert narrowed.json()["data"]["items"] == []

    # readonly spends no tokens and cancels nothing.
    assert_problem(start(jclient, reader), 403, "forbidden")
    assert_problem(jclient.delete(f"{URL}/{mine}", headers=reader.headers), 403, "forbidden")


def test_list_pages_filters_and_links(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    ids = [start(jclient, owner).json()["data"]["id"] for _ in range(3)]
    recipe = start(jclient, owner, RECIPE).json()["data"]["id"]
    for job_id in [*ids, recipe]:
        wait_for(jclient, owner, job_id, DONE)
    page = jclient.get(URL, params={"size": 2, "sort": "id", "order": "asc"}, headers=owner.headers)
    data = page.json()["data"]
    assert [j["id"] for j in data["items"]] == ids[:2]
    assert (data["total"], data["pages"], data["size"]) == (4, 2, 2)
    assert 'rel="next"' in page.headers["link"]
    kinds = jclient.get(URL, params={"kind": "recipe"}, headers=owner.headers).json()["data"]
    assert [j["id"] for j in kinds["items"]] == [recipe]
    done = jclient.get(URL, params={"status": "succeeded"}, headers=owner.headers)
    assert done.json()["data"]["total"] == 4
    none = jclient.get(URL, params={"status": "queued"}, headers=owner.headers)
    assert none.json()["data"]["total"] == 0
    for bad in ({"status": "done"}, {"sort": "status"}, {"size": 0}, {"kind": "x"}):
        assert_problem(
            jclient.get(URL, params=bad, headers=owner.headers), 400, "invalid_parameter"
        )


def test_cancel_a_queued_job_and_it_never_runs(
    make_jobs_app: Callable[..., connexion.FlaskApp],
) -> None:
    # One worker, a slow provider: the second job waits in the queue behind the first.
    app = make_jobs_app(jobs_concurrency=1, ai_fake_latency_ms=600)
    client = app.test_client()
    who = account(app, client, "cancel@example.com")
    first = start(client, who).json()["data"]["id"]
    second = start(client, who).json()["data"]["id"]
    wait_for(client, who, first, {"running"})
    response = client.delete(f"{URL}/{second}", headers=who.headers)
    assert response.status_code == 200, response.text
    cancelled = response.json()["data"]
    assert cancelled["status"] == "cancelled" and cancelled["finished_at"]
    assert response.json()["message"] == "Job cancelled"
    assert wait_for(client, who, first, DONE)["status"] == "succeeded"
    time.sleep(0.3)  # the pool got to the second one's message by now
    again = wait_for(client, who, second, DONE)
    assert again["status"] == "cancelled" and again["attempts"] == 0 and again["result"] is None
    # Cancelling it again changes nothing; a finished job cannot be cancelled.
    assert client.delete(f"{URL}/{second}", headers=who.headers).json()["data"] == again
    body = assert_problem(
        client.delete(f"{URL}/{first}", headers=who.headers), 409, "job_not_cancellable"
    )
    assert "succeeded" in body["detail"]
    assert len(rows(app, AIUsage)) == 1


def test_a_running_job_cancelled_keeps_no_result(
    make_jobs_app: Callable[..., connexion.FlaskApp],
) -> None:
    app = make_jobs_app(ai_fake_latency_ms=800)
    client = app.test_client()
    who = account(app, client, "running@example.com")
    job_id = start(client, who, RECIPE).json()["data"]["id"]
    wait_for(client, who, job_id, {"running"})
    assert client.delete(f"{URL}/{job_id}", headers=who.headers).json()["data"]["status"] == (
        "cancelled"
    )
    deadline = time.monotonic() + 10
    while not rows(app, AIUsage):  # the provider call finishes (and is paid for) anyway
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.3)
    job = wait_for(client, who, job_id, DONE)
    assert job["status"] == "cancelled" and job["result"] is None and job["attempts"] == 1
    assert rows(app, Recipe) == []  # the recipe is kept only with the result


def test_an_admin_may_cancel_anyones_job(
    make_jobs_app: Callable[..., connexion.FlaskApp],
) -> None:
    app = make_jobs_app(jobs_concurrency=1, ai_fake_latency_ms=500)
    client = app.test_client()
    who = account(app, client, "u@example.com")
    admin = account(app, client, "a@example.com", "admin")
    start(client, who)
    queued = start(client, who).json()["data"]["id"]
    response = client.delete(f"{URL}/{queued}", headers=admin.headers)
    assert response.status_code == 200 and response.json()["data"]["status"] == "cancelled"


# --- Idempotency-Key -------------------------------------------------------------------------


def test_same_key_same_body_replays_the_same_job(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    first = start(jclient, owner, **{"Idempotency-Key": "job-1"})
    again = start(jclient, owner, **{"Idempotency-Key": "job-1"})
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    wait_for(jclient, owner, first.json()["data"]["id"], DONE)
    assert len(rows(japp, Job)) == 1 and len(rows(japp, AIUsage)) == 1  # one call, one charge


def test_same_key_other_body_is_422(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    start(jclient, owner, **{"Idempotency-Key": "job-2"})
    body = assert_problem(
        start(jclient, owner, RECIPE, **{"Idempotency-Key": "job-2"}),
        422,
        "idempotency_key_mismatch",
    )
    assert body["errors"][0]["field"] == "Idempotency-Key"
    # The same key on another operation with the same body is another request too.
    other = jclient.post(
        "/api/v1/ai/completions",
        json=ASK["completion"],
        headers={**owner.headers, "Idempotency-Key": "job-2"},
    )
    assert_problem(other, 422, "idempotency_key_mismatch")
    assert len(rows(japp, Job)) == 1


def test_a_duplicate_while_the_first_is_in_progress_is_409(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    # The first request has claimed the key and not yet answered (as a concurrent request
    # would have: the decorator's own first step).
    with resources(japp).db.unit_of_work() as uow:
        idempotency.begin(uow, owner.user.id, "job-3", idempotency.fingerprint("createJob", RECIPE))
    response = start(jclient, owner, RECIPE, **{"Idempotency-Key": "job-3"})
    assert_problem(response, 409, "request_in_progress")
    assert int(response.headers["retry-after"]) >= 1
    assert rows(japp, Job) == []


def test_keys_are_per_user_and_optional(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    other = account(japp, jclient, "other@example.com")
    a = start(jclient, owner, **{"Idempotency-Key": "shared"}).json()["data"]["id"]
    b = start(jclient, other, **{"Idempotency-Key": "shared"})
    assert b.status_code == 202 and "idempotent-replayed" not in b.headers
    assert b.json()["data"]["id"] != a
    c, d = start(jclient, owner), start(jclient, owner)  # no key: two jobs
    assert c.json()["data"]["id"] != d.json()["data"]["id"]
    for job_id in (a, b.json()["data"]["id"]):
        wait_for(jclient, owner if job_id == a else other, job_id, DONE)
    assert len(rows(japp, Job)) == 4


def test_a_refused_create_is_not_stored_under_its_key(
    japp: connexion.FlaskApp, jclient: TestClient, owner: Account
) -> None:
    bad = {"kind": "completion", "completion": {"prompt": "x", "model": "not-allowed"}}
    for _ in range(2):  # a failure is not replayed: the retry runs (and fails) again
        response = start(jclient, owner, bad, **{"Idempotency-Key": "job-4"})
        assert_problem(response, 400, "unsupported_model")
        assert "idempotent-replayed" not in response.headers


# --- Restarts -------------------------------------------------------------------------------


class Dropped:
    """A queue whose messages are lost (a process that died before running them)."""

    def enqueue(self, job_id: int) -> None:
        pass


def test_jobs_queued_before_a_restart_run_at_startup(
    make_jobs_app: Callable[..., connexion.FlaskApp],
) -> None:
    before = make_jobs_app()
    client = before.test_client()
    who = account(before, client, "restart@example.com")
    res = resources(before)
    with res.db.unit_of_work() as uow:
        job = jobs.create_job(
            uow,
            Principal(user=who.user, method="bearer"),
            Dropped(),
            res.ai,
            work=jobs.RecipeInput(ingredients=["egg"]),
            request={"kind": "recipe", "recipe": {"ingredients": ["egg"]}},
        )
    time.sleep(0.2)
    assert client.get(f"{URL}/{job.id}", headers=who.headers).json()["data"]["status"] == "queued"
    after = make_jobs_app()
    with after.test_client() as started:  # runs the lifespan: the server's startup
        assert job.id is not None
        done = wait_for(started, who, job.id, DONE)
    assert done["status"] == "succeeded" and done["attempts"] == 1
