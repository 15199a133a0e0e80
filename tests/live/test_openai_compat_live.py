"""The OpenAI-compatible endpoint, driven by the official `openai` SDK (`base_url` at the real
server, `python -m app`, on the suite's database and Redis, fake provider): plain, streamed
and structured completions, `stop`, the model list, usage recorded like `/ai/completions`,
a quota refusal as the SDK's `RateLimitError`, bad keys as `AuthenticationError`, and
parameters this server cannot honour refused with OpenAI's error object. 127.0.0.1 only;
the server is stopped by its PID.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import openai
import pytest

from app.accounts.models import Role
from tests.auth_helpers import PASSWORD, make_user
from tests.live_server import live_server, server_env

# One worker runs the module: its servers (`base`, `slow_base`) are started once each.
pytestmark = [pytest.mark.live, pytest.mark.xdist_group("openai-live")]

QUOTA = 3000  # tokens per user per day here: a call reserves its prompt + 1,024 (default)
PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "age": {"type": "integer", "minimum": 0, "maximum": 150},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
    },
    "required": ["name", "age", "tags"],
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def base(
    database_url: str,
    redis_url: str | None,
    make_settings: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Any:
    prefix = f"{make_settings().redis.key_prefix}-oai-{uuid.uuid4().hex[:8]}"
    env = server_env(database_url, redis_url, prefix)
    env["AI_DAILY_TOKENS_USER"] = str(QUOTA)
    with live_server(env, tmp_path_factory.mktemp("oai") / "server.log") as url:
        yield url


def _token(base: str, app: Any, role: Role = Role.USER) -> str:
    email = f"oai-{uuid.uuid4().hex[:8]}@example.com"
    make_user(app, email, role)
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["data"]["access_token"]
    return token


def _api_key(base: str, token: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/api-keys",
        json={"name": "openai sdk"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    key: str = response.json()["data"]["key"]
    return key


def _client(base: str, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/api/v1/openai", api_key=key, max_retries=0)


def _tokens_today(base: str, token: str) -> int:
    response = httpx.get(
        f"{base}/api/v1/ai/usage", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code == 200, response.text
    used: int = response.json()["data"]["quota"]["used_today"]
    return used


def test_plain_completion_with_an_api_key_is_recorded_like_any_other(base: str, app: Any) -> None:
    token = _token(base, app)
    client = _client(base, _api_key(base, token))
    assert [m.id for m in client.models.list()] == ["fake-1"]
    before = _tokens_today(base, token)
    answer = client.chat.completions.create(
        model="fake-1",
        messages=[
            {"role": "developer", "content": "Be brief."},
            {"role": "user", "content": "Summarise the water cycle."},
        ],
        max_completion_tokens=64,
    )
    assert answer.object == "chat.completion"
    assert answer.id.startswith("chatcmpl-")
    assert answer.model == "fake-1"
    (choice,) = answer.choices
    assert choice.message.role == "assistant"
    assert choice.message.content and "Summarise the water cycle." in choice.message.content
    assert choice.finish_reason == "stop"
    assert answer.usage is not None
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + answer.usage.completion_tokens
    assert _tokens_today(base, token) == before + answer.usage.total_tokens


def test_stop_sequences_end_the_answer(base: str, app: Any) -> None:
    client = _client(base, _token(base, app))
    answer = client.chat.completions.create(
        model="fake-1", messages=[{"role": "user", "content": "hello there"}], stop=["to:"]
    )
    text = answer.choices[0].message.content or ""
    assert text.startswith("Fake answer ")
    assert "to:" not in text


def test_streamed_chunks_carry_the_same_answer_and_the_usage_last(base: str, app: Any) -> None:
    client = _client(base, _token(base, app))
    messages: Any = [{"role": "user", "content": "Tell me about rivers and lakes."}]
    whole = client.chat.completions.create(model="fake-1", messages=messages)
    chunks = list(
        client.chat.completions.create(
            model="fake-1",
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == whole.usage.total_tokens  # type: ignore[union-attr]


def test_structured_answers_match_the_schema_sent(base: str, app: Any) -> None:
    client = _client(base, _token(base, app))
    for stream in (False, True):
        if not stream:
            answer = client.chat.completions.create(
                model="fake-1",
                messages=[{"role": "user", "content": "Invent a person."}],
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": "person", "schema": PERSON, "strict": True},
                },
            )
            content = answer.choices[0].message.content or ""
        else:
            content = "".join(
                c.choices[0].delta.content or ""
                for c in client.chat.completions.create(
                    model="fake-1",
                    messages=[{"role": "user", "content": "Invent a person."}],
                    response_format={
                        "type": "json_schema",
                        "json_schema": {"name": "person", "schema": PERSON},
                    },
                    stream=True,
                )
                if c.choices
            )
        person = json.loads(content)
        assert set(person) == {"name", "age", "tags"}
        assert isinstance(person["age"], int)
        assert len(person["tags"]) >= 2


def test_a_quota_refusal_is_the_sdks_rate_limit_error(base: str, app: Any) -> None:
    client = _client(base, _token(base, app))
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(
            model="fake-1",
            messages=[{"role": "user", "content": "word " * 1600}],  # about 2,000 tokens
            max_tokens=1024,
        )
    body: Any = caught.value.body
    assert caught.value.status_code == 429
    assert body["code"] == "ai_quota_exceeded"
    assert body["type"] == "rate_limit_error"
    assert caught.value.response.headers["Retry-After"]


def test_bad_credentials_are_the_sdks_authentication_error(base: str) -> None:
    for key in ("ak_abcdefgh_not-a-real-key", "not-a-token", ""):
        with pytest.raises(openai.AuthenticationError) as caught:
            _client(base, key or "x").chat.completions.create(
                model="fake-1", messages=[{"role": "user", "content": "hi"}]
            )
        body: Any = caught.value.body
        assert body["type"] == "authentication_error"
        assert body["code"] in {"api_key_invalid", "token_malformed"}


def test_json_mode_through_the_sdk(base: str, app: Any) -> None:
    client = _client(base, _token(base, app))
    answer = client.chat.completions.create(
        model="fake-1",
        messages=[{"role": "user", "content": "Describe a mug."}],
        response_format={"type": "json_object"},
    )
    assert isinstance(json.loads(answer.choices[0].message.content or ""), dict)
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client.chat.completions.create(
            model="fake-1",
            messages=[{"role": "user", "content": "Describe a mug."}],
            response_format={"type": "json_object", "json_schema": {"name": "x"}},  # type: ignore[typeddict-unknown-key]
        )
    assert caught.value.body["param"] == "response_format.json_schema"  # type: ignore[index]


def test_what_cannot_be_honoured_is_refused_with_openais_error_object(base: str, app: Any) -> None:
    client = _client(base, _token(base, app))
    hi: Any = [{"role": "user", "content": "hi"}]
    tool = {"type": "function", "function": {"name": "f"}}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"n": 2}, "unsupported_parameter", "n"),
        ({"logprobs": True}, "unsupported_parameter", "logprobs"),
        ({"tools": [tool]}, "unsupported_parameter", "tools"),
        ({"top_p": 0.5}, "unsupported_parameter", "top_p"),
        ({"model": "gpt-4o"}, "unsupported_model", "model"),
    ]
    for extra, code, param in cases:
        kwargs: dict[str, Any] = {"model": "fake-1", "messages": hi, **extra}
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(**kwargs)
        body: Any = caught.value.body
        assert (body["code"], body["param"], body["type"]) == (code, param, "invalid_request_error")
        assert body["message"]
    image: Any = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="fake-1", messages=image)
    assert caught.value.body["code"] == "unsupported_parameter"  # type: ignore[index]
    # Not in OpenAI's API at all: the spec's validation, still with the `error` object.
    response = httpx.post(
        f"{base}/api/v1/openai/chat/completions",
        json={"model": "fake-1", "messages": hi, "bogus": 1},
        headers={"Authorization": f"Bearer {_token(base, app)}"},
        timeout=30,
    )
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == problem["error"]["code"] == "validation_error"
    # A readonly caller may list models but not spend tokens.
    reader = _client(base, _token(base, app, Role.READONLY))
    assert [m.id for m in reader.models.list()] == ["fake-1"]
    with pytest.raises(openai.PermissionDeniedError):
        reader.chat.completions.create(model="fake-1", messages=hi)


@pytest.fixture(scope="module")
def slow_base(
    database_url: str,
    redis_url: str | None,
    make_settings: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Any:
    """A provider answering in 300 ms, and one open stream per user at most."""
    prefix = f"{make_settings().redis.key_prefix}-oai-slow-{uuid.uuid4().hex[:8]}"
    env = server_env(database_url, redis_url, prefix)
    env |= {"AI_FAKE_LATENCY_MS": "300", "AI_STREAM_MAX_OPEN_PER_USER": "1"}
    with live_server(env, tmp_path_factory.mktemp("oai-slow") / "server.log") as url:
        yield url


def test_plain_answers_hold_no_stream_slot_but_streams_do(slow_base: str, app: Any) -> None:
    headers = {"Authorization": f"Bearer {_token(slow_base, app)}"}
    url = f"{slow_base}/api/v1/openai/chat/completions"
    hi = [{"role": "user", "content": "hi"}]

    async def burst(stream: bool, n: int) -> list[int]:
        body = {"model": "fake-1", "messages": hi, "stream": stream}
        async with httpx.AsyncClient(timeout=30) as client:
            replies = await asyncio.gather(
                *(client.post(url, json=body, headers=headers) for _ in range(n))
            )
        return sorted(r.status_code for r in replies)

    assert asyncio.run(burst(False, 6)) == [200] * 6  # one user, six at once: all answered
    statuses = asyncio.run(burst(True, 3))
    assert 200 in statuses
    assert 429 in statuses  # AI_STREAM_MAX_OPEN_PER_USER=1: too_many_streams
