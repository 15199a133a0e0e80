"""OWASP API4:2023 Unrestricted Resource Consumption.

Every input the spec accepts is bounded (strings, arrays, maps, integers), and the server
enforces each kind of limit with its documented problem: body size (413
`payload_too_large`), page size (400 `invalid_parameter` on every list operation), prompt
size (413 `prompt_too_long`), batch size and `max_tokens` (422), open streams per user
(429 `too_many_streams`), the daily token quota (429 `ai_quota_exceeded`) and the
operation rate limits (429 `rate_limited`); every 429 says when to retry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import anyio.to_thread
import connexion
import pytest
from starlette.testclient import TestClient

from app.main import create_app
from tests.auth_helpers import Account, account, resources
from tests.problems import assert_problem
from tests.security.spec_walk import BASE, OPERATIONS, SPEC, body_schema, op_id, path_params

COMPLETE = f"{BASE}/ai/completions"


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = SPEC["components"][section][name]
    return node


def _unbounded(schema: dict[str, Any], where: str, seen: frozenset[str]) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [] if name in seen else _unbounded(_resolve(schema), where, seen | {name})
    found: list[str] = []
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            found += _unbounded(part, where, seen)
    kind = schema.get("type")
    free_text = schema.get("format") not in ("date-time", "date")
    if kind == "string" and free_text and not {"maxLength", "enum"} & set(schema):
        found.append(f"{where}: string without maxLength")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: array without maxItems")
        found += _unbounded(schema.get("items", {}), f"{where}[]", seen)
    if kind == "integer" and "maximum" not in schema:
        found.append(f"{where}: integer without maximum")
    for name, prop in schema.get("properties", {}).items():
        found += _unbounded(prop, f"{where}.{name}", seen)
    if schema.get("additionalProperties") is True and "maxProperties" not in schema:
        found.append(f"{where}: open map without maxProperties")
    return found


def test_every_input_in_the_spec_is_bounded() -> None:
    problems: list[str] = []
    for method, path, op in OPERATIONS:
        where = f"{method} {path}"
        schema = body_schema(op)
        if schema is not None:
            problems += _unbounded(schema, f"{where} body", frozenset())
        for ref in [*SPEC["paths"][path].get("parameters", []), *op.get("parameters", [])]:
            param = _resolve(ref)
            if param["in"] in ("query", "header"):
                problems += _unbounded(param["schema"], f"{where} {param['name']}", frozenset())
    assert problems == []


LISTS = [
    (p, op)
    for m, p, op in OPERATIONS
    if m == "get"
    and not path_params(p)
    and any(_resolve(prm)["name"] == "size" for prm in op.get("parameters", []))
]


@pytest.mark.parametrize(("path", "op"), LISTS, ids=[op_id(op) for _, op in LISTS])
def test_page_size_is_capped_on_every_list(
    client: TestClient, admin: Account, path: str, op: dict[str, Any]
) -> None:
    size = next(_resolve(p) for p in op["parameters"] if _resolve(p)["name"] == "size")
    cap = size["schema"]["maximum"]
    assert cap <= 100
    ok = client.get(BASE + path, params={"size": cap}, headers=admin.headers)
    assert ok.status_code == 200, ok.text
    assert_problem(
        client.get(BASE + path, params={"size": cap + 1}, headers=admin.headers),
        400,
        "invalid_parameter",
    )


def test_bodies_over_the_limit_are_413_before_anything_reads_them(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    limit = resources(app).settings.api.max_body_bytes
    big = b'{"name": "' + b"x" * limit + b'"}'
    response = client.post(
        f"{BASE}/items",
        content=big,
        headers={**member.headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")


def test_batch_and_max_tokens_are_bounded(client: TestClient, member: Account) -> None:
    too_many = {"requests": [{"prompt": "x"}] * 51}
    batch = client.post(f"{BASE}/ai/batch", json=too_many, headers=member.headers)
    assert_problem(batch, 422, "validation_error")
    huge = client.post(COMPLETE, json={"prompt": "x", "max_tokens": 10**6}, headers=member.headers)
    assert_problem(huge, 422, "validation_error")


# --- limits an operator sets: one app with tight ones ------------------------------------
@pytest.fixture(scope="module")
def tight(make_settings: Any) -> Iterator[connexion.FlaskApp]:
    app = create_app(
        make_settings(
            ai_max_prompt_chars=200,
            ai_daily_tokens_user=60,
            ai_stream_max_open_per_user=1,
            rate_limit_overrides={"getAiUsage": {"user": "2/minute"}},
        )
    )
    yield app
    resources(app).close()


def test_prompts_over_the_limit_are_413(tight: connexion.FlaskApp) -> None:
    client = tight.test_client()
    who = account(tight, client, "prompter@example.com")
    response = client.post(COMPLETE, json={"prompt": "x" * 201}, headers=who.headers)
    assert_problem(response, 413, "prompt_too_long")


def test_the_daily_token_quota_ends_in_429_with_retry_after(tight: connexion.FlaskApp) -> None:
    client = tight.test_client()
    who = account(tight, client, "spender@example.com")
    # The quota is a cap: a request's worst case (prompt estimate + max_tokens) is reserved
    # first, so one asking for more output than is left is refused before any call.
    greedy = client.post(COMPLETE, json={"prompt": "hi", "cache": False}, headers=who.headers)
    assert_problem(greedy, 429, "ai_quota_exceeded")  # 1024 default max_tokens > 60
    prompt = {"prompt": "word " * 30, "cache": False, "max_tokens": 10}
    statuses = [client.post(COMPLETE, json=prompt, headers=who.headers) for _ in range(4)]
    refused = statuses[-1]
    assert statuses[0].status_code == 200
    assert_problem(refused, 429, "ai_quota_exceeded")
    assert int(refused.headers["retry-after"]) > 0
    quota = client.get(f"{BASE}/ai/usage", headers=who.headers).json()["data"]["quota"]
    assert quota["used_today"] + quota["reserved"] <= 60


def test_rate_limits_end_in_429_with_retry_after(tight: connexion.FlaskApp) -> None:
    client = tight.test_client()
    who = account(tight, client, "poller@example.com")
    usage = [client.get(f"{BASE}/ai/usage", headers=who.headers) for _ in range(3)]
    assert [r.status_code for r in usage[:2]] == [200, 200]
    assert_problem(usage[2], 429, "rate_limited")
    assert int(usage[2].headers["retry-after"]) > 0
    assert usage[2].headers["x-ratelimit-remaining"] == "0"


def test_open_streams_are_capped_per_user(tight: connexion.FlaskApp) -> None:
    client = tight.test_client()
    who = account(tight, client, "streamer@example.com")
    slots = resources(tight).user_streams
    assert who.user.id is not None
    user_id = who.user.id

    async def while_one_is_open() -> Any:
        async with slots.hold(user_id):  # the user's one stream, open elsewhere
            return await anyio.to_thread.run_sync(
                lambda: client.post(
                    f"{BASE}/ai/completions/stream", json={"prompt": "x"}, headers=who.headers
                )
            )

    refused = anyio.run(while_one_is_open)
    assert_problem(refused, 429, "too_many_streams")
    assert refused.headers["retry-after"] == "1"
