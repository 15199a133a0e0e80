"""The full client flow through the generated Python SDK, run by tests/e2e/test_sdk_python.py
in a fresh virtual environment where only the SDK (and its own dependencies) is installed.

    python tests/e2e/sdk_flow.py http://127.0.0.1:8000/api/v1

Imports nothing from this repository: it is what a client team would write. Each step
checks its answer and prints one line; any failure exits non-zero.
"""

from __future__ import annotations

import sys
import time
import uuid

from spec_first_api_client import AuthenticatedClient, Client
from spec_first_api_client.api.auth import create_api_key, login, refresh, register
from spec_first_api_client.api.completions import create_completion
from spec_first_api_client.api.documents import create_document, publish_document
from spec_first_api_client.api.items import (
    create_item,
    delete_item,
    get_item,
    list_items,
    update_item,
)
from spec_first_api_client.api.jobs import create_job, get_job
from spec_first_api_client.api.recipes import generate_recipe
from spec_first_api_client.api.users import get_me
from spec_first_api_client.models import (
    ApiKeyCreateRequest,
    CompletionEnvelope,
    DocumentCreateRequest,
    DocumentEnvelope,
    ItemCreateRequest,
    ItemEnvelope,
    ItemPageEnvelope,
    ItemUpdateRequest,
    JobCompletionRequest,
    JobCompletionRequestKind,
    JobEnvelope,
    LoginRequest,
    Problem,
    RecipeGenerateRequest,
    RecipeGenerationEnvelope,
    RefreshRequest,
    RegisterRequest,
    TokenPairEnvelope,
    UserEnvelope,
)
from spec_first_api_client.models.job_status import JobStatus


def step(name: str, detail: object = "") -> None:
    print(f"ok {name} {detail}".rstrip(), flush=True)


def main(base_url: str) -> None:
    email, password = f"sdk-{uuid.uuid4().hex[:10]}@example.com", "correct-horse-battery-9"
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)

    # Register, login, refresh.
    created = register.sync(
        client=anonymous,
        body=RegisterRequest(email=email, password=password, full_name="SDK Flow"),
    )
    assert isinstance(created, UserEnvelope), created
    step("register", created.data.id)
    pair = login.sync(client=anonymous, body=LoginRequest(email=email, password=password))
    assert isinstance(pair, TokenPairEnvelope), pair
    rotated = refresh.sync(
        client=anonymous, body=RefreshRequest(refresh_token=pair.data.refresh_token)
    )
    assert isinstance(rotated, TokenPairEnvelope), rotated
    assert rotated.data.refresh_token != pair.data.refresh_token
    step("login+refresh")
    api = AuthenticatedClient(
        base_url=base_url, token=rotated.data.access_token, raise_on_unexpected_status=True
    )

    # Items: create three, page through them, update with If-Match, delete.
    ids = []
    for n in range(3):
        made = create_item.sync(
            client=api, body=ItemCreateRequest(name=f"Mug {n}", price=f"{10 + n}.50")
        )
        assert isinstance(made, ItemEnvelope), made
        ids.append(made.data.id)
    first = list_items.sync(client=api, page=1, size=2)
    second = list_items.sync(client=api, page=2, size=2)
    assert isinstance(first, ItemPageEnvelope) and isinstance(second, ItemPageEnvelope)
    assert (first.data.total, first.data.pages, len(first.data.items)) == (3, 2, 2)
    assert len(second.data.items) == 1
    step("items paged", [first.data.total, first.data.pages])
    fetched = get_item.sync_detailed(ids[0], client=api)
    etag = fetched.headers["ETag"]
    changed = update_item.sync_detailed(
        ids[0], client=api, body=ItemUpdateRequest(price="9.99"), if_match=etag
    )
    assert changed.status_code == 200 and isinstance(changed.parsed, ItemEnvelope)
    assert changed.parsed.data.price == "9.99"
    # The old ETag is stale now: a typed problem, read by its code.
    stale = update_item.sync(
        ids[0], client=api, body=ItemUpdateRequest(price="1.00"), if_match=etag
    )
    assert isinstance(stale, Problem), stale
    assert (stale.status, stale.code) == (412, "precondition_failed")
    step("item If-Match", stale.code)
    gone = delete_item.sync_detailed(ids[2], client=api)
    assert gone.status_code == 204, gone.status_code
    missing = get_item.sync(ids[2], client=api)
    assert isinstance(missing, Problem) and missing.code == "not_found", missing
    step("item deleted", missing.code)

    # A document, published.
    doc = create_document.sync(
        client=api, body=DocumentCreateRequest(title="Release notes", content="# Notes")
    )
    assert isinstance(doc, DocumentEnvelope), doc
    published = publish_document.sync(doc.data.id, client=api)
    assert isinstance(published, DocumentEnvelope), published
    assert published.data.status == "published"
    step("document published", published.data.id)

    # A completion validated against a response schema (the body is a plain dict: the
    # spec's `oneOf` of `messages`/`prompt` has no typed model in this generator).
    answer = create_completion.sync(
        client=api, body={"prompt": "Summarise the water cycle.", "response_schema": "TextSummary"}
    )
    assert isinstance(answer, CompletionEnvelope), answer
    summary = answer.data.object_
    assert summary is not None and "summary" in summary.to_dict(), answer.data
    step("completion", answer.data.response_schema)

    # A recipe (the structured-output example).
    recipe = generate_recipe.sync(
        client=api, body=RecipeGenerateRequest(ingredients=["tomatoes", "onion", "garlic"])
    )
    assert isinstance(recipe, RecipeGenerationEnvelope), recipe
    assert recipe.data.recipe.title
    step("recipe", recipe.data.recipe.title)

    # An async job, polled until it finishes.
    job = create_job.sync(
        client=api,
        body=JobCompletionRequest(
            kind=JobCompletionRequestKind.COMPLETION, completion={"prompt": "Say hello."}
        ),
    )
    assert isinstance(job, JobEnvelope), job
    deadline = time.monotonic() + 30
    while True:
        polled = get_job.sync(job.data.id, client=api)
        assert isinstance(polled, JobEnvelope), polled
        if polled.data.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            break
        assert time.monotonic() < deadline, "job still unfinished after 30 s"
        time.sleep(0.2)
    assert polled.data.status == JobStatus.SUCCEEDED, polled.data
    step("job", polled.data.status)

    # An API key, then a call authenticated by it alone.
    key = create_api_key.sync(client=api, body=ApiKeyCreateRequest(name="sdk-flow"))
    assert not isinstance(key, Problem) and key is not None, key
    machine = AuthenticatedClient(
        base_url=base_url, token=key.data.key, prefix="", auth_header_name="X-API-Key"
    )
    me = get_me.sync(client=machine)
    assert isinstance(me, UserEnvelope) and me.data.email == email, me
    step("api key", key.data.prefix)


if __name__ == "__main__":
    main(sys.argv[1])
    print("flow complete")
