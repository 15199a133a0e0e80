from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_completion_stream_response_200 import CreateCompletionStreamResponse200
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: Any,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/ai/completions/stream",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateCompletionStreamResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = CreateCompletionStreamResponse200.from_dict(response.text)

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateCompletionStreamResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    api_version: str | Unset = UNSET,
) -> Response[CreateCompletionStreamResponse200 | Problem]:
    """Ask the model and stream the answer (server-sent events)

     Takes the same body as `POST /ai/completions` and answers `text/event-stream` as the
    provider produces it. Events, each `data` one JSON object:

    - `delta` (`StreamDelta`): the next piece of a free-text answer.
    - `object` (`StreamObject`): with `response_schema`, the whole answer once it is
      complete and valid against the schema (repaired like `POST /ai/completions` when
      needed); no `delta` events are sent then, so a client never sees half-parsed JSON.
    - `done` (`StreamDone`): the last event: finish reason, usage, cost and warnings.
    - `error` (`Problem`): the provider failed mid-stream (or the answer never became
      valid), or the server is shutting down (`server_shutting_down`, 503: send the
      request again); the stream ends after it, with no `done`.

    Comment lines (`: heartbeat`) keep a quiet connection open every
    `AI_STREAM_HEARTBEAT_S` (15) seconds; clients ignore them. Usage and cost are recorded
    like any completion (the provider is asked to report stream usage). When the client
    disconnects, the upstream request is closed at once and the tokens received so far
    are recorded (outcome `client_disconnected`). Streams are never answered from the
    completion cache. Errors found before the stream starts (validation, auth, quota,
    model not allowed, prompt too long) are ordinary problem+json responses. A provider
    that fails with a retryable error before the first event is replaced by the next of
    `AI_FALLBACKS` (the `done` event's `provider` says who answered, and its `warnings`
    carry `provider_fallback`); once an event was sent there is no fallback.

    Open streams are bounded: `AI_STREAM_MAX_OPEN_PER_USER` (5) per user, across every
    server process when Redis is configured (`429 too_many_streams`), and
    `AI_STREAM_MAX_OPEN` per server process (`503 stream_capacity_reached`), both with
    `Retry-After`. A stream's slot is freed when it ends: done, an error, or the client
    disconnecting.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (Any): Either `messages` (a conversation) or `prompt` (one user message), not both;
            `system`
            (optional) goes before either. `provider` and `model` default to the configured ones
            and must be on the allow-list (`AI_ALLOWED_MODELS`), else 400 `unsupported_model`.
             Example: {'prompt': 'Summarise the water cycle.', 'response_schema': 'TextSummary',
            'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateCompletionStreamResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        api_version=api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    api_version: str | Unset = UNSET,
) -> CreateCompletionStreamResponse200 | Problem | None:
    """Ask the model and stream the answer (server-sent events)

     Takes the same body as `POST /ai/completions` and answers `text/event-stream` as the
    provider produces it. Events, each `data` one JSON object:

    - `delta` (`StreamDelta`): the next piece of a free-text answer.
    - `object` (`StreamObject`): with `response_schema`, the whole answer once it is
      complete and valid against the schema (repaired like `POST /ai/completions` when
      needed); no `delta` events are sent then, so a client never sees half-parsed JSON.
    - `done` (`StreamDone`): the last event: finish reason, usage, cost and warnings.
    - `error` (`Problem`): the provider failed mid-stream (or the answer never became
      valid), or the server is shutting down (`server_shutting_down`, 503: send the
      request again); the stream ends after it, with no `done`.

    Comment lines (`: heartbeat`) keep a quiet connection open every
    `AI_STREAM_HEARTBEAT_S` (15) seconds; clients ignore them. Usage and cost are recorded
    like any completion (the provider is asked to report stream usage). When the client
    disconnects, the upstream request is closed at once and the tokens received so far
    are recorded (outcome `client_disconnected`). Streams are never answered from the
    completion cache. Errors found before the stream starts (validation, auth, quota,
    model not allowed, prompt too long) are ordinary problem+json responses. A provider
    that fails with a retryable error before the first event is replaced by the next of
    `AI_FALLBACKS` (the `done` event's `provider` says who answered, and its `warnings`
    carry `provider_fallback`); once an event was sent there is no fallback.

    Open streams are bounded: `AI_STREAM_MAX_OPEN_PER_USER` (5) per user, across every
    server process when Redis is configured (`429 too_many_streams`), and
    `AI_STREAM_MAX_OPEN` per server process (`503 stream_capacity_reached`), both with
    `Retry-After`. A stream's slot is freed when it ends: done, an error, or the client
    disconnecting.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (Any): Either `messages` (a conversation) or `prompt` (one user message), not both;
            `system`
            (optional) goes before either. `provider` and `model` default to the configured ones
            and must be on the allow-list (`AI_ALLOWED_MODELS`), else 400 `unsupported_model`.
             Example: {'prompt': 'Summarise the water cycle.', 'response_schema': 'TextSummary',
            'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateCompletionStreamResponse200 | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    api_version: str | Unset = UNSET,
) -> Response[CreateCompletionStreamResponse200 | Problem]:
    """Ask the model and stream the answer (server-sent events)

     Takes the same body as `POST /ai/completions` and answers `text/event-stream` as the
    provider produces it. Events, each `data` one JSON object:

    - `delta` (`StreamDelta`): the next piece of a free-text answer.
    - `object` (`StreamObject`): with `response_schema`, the whole answer once it is
      complete and valid against the schema (repaired like `POST /ai/completions` when
      needed); no `delta` events are sent then, so a client never sees half-parsed JSON.
    - `done` (`StreamDone`): the last event: finish reason, usage, cost and warnings.
    - `error` (`Problem`): the provider failed mid-stream (or the answer never became
      valid), or the server is shutting down (`server_shutting_down`, 503: send the
      request again); the stream ends after it, with no `done`.

    Comment lines (`: heartbeat`) keep a quiet connection open every
    `AI_STREAM_HEARTBEAT_S` (15) seconds; clients ignore them. Usage and cost are recorded
    like any completion (the provider is asked to report stream usage). When the client
    disconnects, the upstream request is closed at once and the tokens received so far
    are recorded (outcome `client_disconnected`). Streams are never answered from the
    completion cache. Errors found before the stream starts (validation, auth, quota,
    model not allowed, prompt too long) are ordinary problem+json responses. A provider
    that fails with a retryable error before the first event is replaced by the next of
    `AI_FALLBACKS` (the `done` event's `provider` says who answered, and its `warnings`
    carry `provider_fallback`); once an event was sent there is no fallback.

    Open streams are bounded: `AI_STREAM_MAX_OPEN_PER_USER` (5) per user, across every
    server process when Redis is configured (`429 too_many_streams`), and
    `AI_STREAM_MAX_OPEN` per server process (`503 stream_capacity_reached`), both with
    `Retry-After`. A stream's slot is freed when it ends: done, an error, or the client
    disconnecting.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (Any): Either `messages` (a conversation) or `prompt` (one user message), not both;
            `system`
            (optional) goes before either. `provider` and `model` default to the configured ones
            and must be on the allow-list (`AI_ALLOWED_MODELS`), else 400 `unsupported_model`.
             Example: {'prompt': 'Summarise the water cycle.', 'response_schema': 'TextSummary',
            'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateCompletionStreamResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    api_version: str | Unset = UNSET,
) -> CreateCompletionStreamResponse200 | Problem | None:
    """Ask the model and stream the answer (server-sent events)

     Takes the same body as `POST /ai/completions` and answers `text/event-stream` as the
    provider produces it. Events, each `data` one JSON object:

    - `delta` (`StreamDelta`): the next piece of a free-text answer.
    - `object` (`StreamObject`): with `response_schema`, the whole answer once it is
      complete and valid against the schema (repaired like `POST /ai/completions` when
      needed); no `delta` events are sent then, so a client never sees half-parsed JSON.
    - `done` (`StreamDone`): the last event: finish reason, usage, cost and warnings.
    - `error` (`Problem`): the provider failed mid-stream (or the answer never became
      valid), or the server is shutting down (`server_shutting_down`, 503: send the
      request again); the stream ends after it, with no `done`.

    Comment lines (`: heartbeat`) keep a quiet connection open every
    `AI_STREAM_HEARTBEAT_S` (15) seconds; clients ignore them. Usage and cost are recorded
    like any completion (the provider is asked to report stream usage). When the client
    disconnects, the upstream request is closed at once and the tokens received so far
    are recorded (outcome `client_disconnected`). Streams are never answered from the
    completion cache. Errors found before the stream starts (validation, auth, quota,
    model not allowed, prompt too long) are ordinary problem+json responses. A provider
    that fails with a retryable error before the first event is replaced by the next of
    `AI_FALLBACKS` (the `done` event's `provider` says who answered, and its `warnings`
    carry `provider_fallback`); once an event was sent there is no fallback.

    Open streams are bounded: `AI_STREAM_MAX_OPEN_PER_USER` (5) per user, across every
    server process when Redis is configured (`429 too_many_streams`), and
    `AI_STREAM_MAX_OPEN` per server process (`503 stream_capacity_reached`), both with
    `Retry-After`. A stream's slot is freed when it ends: done, an error, or the client
    disconnecting.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (Any): Either `messages` (a conversation) or `prompt` (one user message), not both;
            `system`
            (optional) goes before either. `provider` and `model` default to the configured ones
            and must be on the allow-list (`AI_ALLOWED_MODELS`), else 400 `unsupported_model`.
             Example: {'prompt': 'Summarise the water cycle.', 'response_schema': 'TextSummary',
            'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateCompletionStreamResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            api_version=api_version,
        )
    ).parsed
