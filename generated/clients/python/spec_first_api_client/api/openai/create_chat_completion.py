from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_completion import ChatCompletion
from ...models.chat_completion_request import ChatCompletionRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ChatCompletionRequest,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/openai/chat/completions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatCompletion | Problem | None:
    if response.status_code == 200:
        response_200 = ChatCompletion.from_dict(response.json())

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

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ChatCompletion | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
    api_version: str | Unset = UNSET,
) -> Response[ChatCompletion | Problem]:
    """Chat completion, OpenAI-compatible

     OpenAI's `POST /chat/completions`, for the tools and SDKs that speak it: point their
    base URL at `<server>/api/v1/openai` and use an API key of this service (or an access
    token) as the OpenAI key. It runs the same path as `POST /ai/completions`: the same
    allow-list of models (`GET /openai/models`), quotas and dollar budgets (reserved
    before the call), cache, fallbacks, usage rows and metrics. `stream: true` answers
    with OpenAI's chunks (`data: {chat.completion.chunk}` ... `data: [DONE]`), and a last
    chunk with `usage` when `stream_options.include_usage` is set. `response_format`
    `json_schema` makes the answer an object valid against the schema sent (validated,
    repaired up to `AI_VALIDATION_RETRIES` times; strict mode upstream unless the schema
    says `strict: false`), and `json_object` any JSON object. Parameters this server cannot honour
    are refused with 400 `unsupported_parameter` naming the parameter. Every error on this
    path is a problem document that also carries OpenAI's `error` object
    (`message`, `type`, `param`, `code`), which OpenAI SDKs read.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ChatCompletionRequest): OpenAI's chat-completions request. Served: `model`,
            `messages`, `stream`,
            `stream_options.include_usage`, `max_tokens` / `max_completion_tokens`, `temperature`,
            `stop`, `response_format` (`text`, `json_schema`, `json_object`), `n` = 1, `user` and
            `seed` (accepted,
            ignored). Declared but refused with `unsupported_parameter`: `n` > 1, `tools`,
            `tool_choice`, `functions`, `function_call`, `logprobs`, `top_logprobs`, `audio`,
            `modalities` other than text, `top_p` other than 1, penalties other than 0. Anything
            else is a validation error.
             Example: {'model': 'fake-1', 'messages': [{'role': 'user', 'content': 'Summarise the
            water cycle in one sentence.'}], 'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatCompletion | Problem]
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
    body: ChatCompletionRequest,
    api_version: str | Unset = UNSET,
) -> ChatCompletion | Problem | None:
    """Chat completion, OpenAI-compatible

     OpenAI's `POST /chat/completions`, for the tools and SDKs that speak it: point their
    base URL at `<server>/api/v1/openai` and use an API key of this service (or an access
    token) as the OpenAI key. It runs the same path as `POST /ai/completions`: the same
    allow-list of models (`GET /openai/models`), quotas and dollar budgets (reserved
    before the call), cache, fallbacks, usage rows and metrics. `stream: true` answers
    with OpenAI's chunks (`data: {chat.completion.chunk}` ... `data: [DONE]`), and a last
    chunk with `usage` when `stream_options.include_usage` is set. `response_format`
    `json_schema` makes the answer an object valid against the schema sent (validated,
    repaired up to `AI_VALIDATION_RETRIES` times; strict mode upstream unless the schema
    says `strict: false`), and `json_object` any JSON object. Parameters this server cannot honour
    are refused with 400 `unsupported_parameter` naming the parameter. Every error on this
    path is a problem document that also carries OpenAI's `error` object
    (`message`, `type`, `param`, `code`), which OpenAI SDKs read.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ChatCompletionRequest): OpenAI's chat-completions request. Served: `model`,
            `messages`, `stream`,
            `stream_options.include_usage`, `max_tokens` / `max_completion_tokens`, `temperature`,
            `stop`, `response_format` (`text`, `json_schema`, `json_object`), `n` = 1, `user` and
            `seed` (accepted,
            ignored). Declared but refused with `unsupported_parameter`: `n` > 1, `tools`,
            `tool_choice`, `functions`, `function_call`, `logprobs`, `top_logprobs`, `audio`,
            `modalities` other than text, `top_p` other than 1, penalties other than 0. Anything
            else is a validation error.
             Example: {'model': 'fake-1', 'messages': [{'role': 'user', 'content': 'Summarise the
            water cycle in one sentence.'}], 'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatCompletion | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
    api_version: str | Unset = UNSET,
) -> Response[ChatCompletion | Problem]:
    """Chat completion, OpenAI-compatible

     OpenAI's `POST /chat/completions`, for the tools and SDKs that speak it: point their
    base URL at `<server>/api/v1/openai` and use an API key of this service (or an access
    token) as the OpenAI key. It runs the same path as `POST /ai/completions`: the same
    allow-list of models (`GET /openai/models`), quotas and dollar budgets (reserved
    before the call), cache, fallbacks, usage rows and metrics. `stream: true` answers
    with OpenAI's chunks (`data: {chat.completion.chunk}` ... `data: [DONE]`), and a last
    chunk with `usage` when `stream_options.include_usage` is set. `response_format`
    `json_schema` makes the answer an object valid against the schema sent (validated,
    repaired up to `AI_VALIDATION_RETRIES` times; strict mode upstream unless the schema
    says `strict: false`), and `json_object` any JSON object. Parameters this server cannot honour
    are refused with 400 `unsupported_parameter` naming the parameter. Every error on this
    path is a problem document that also carries OpenAI's `error` object
    (`message`, `type`, `param`, `code`), which OpenAI SDKs read.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ChatCompletionRequest): OpenAI's chat-completions request. Served: `model`,
            `messages`, `stream`,
            `stream_options.include_usage`, `max_tokens` / `max_completion_tokens`, `temperature`,
            `stop`, `response_format` (`text`, `json_schema`, `json_object`), `n` = 1, `user` and
            `seed` (accepted,
            ignored). Declared but refused with `unsupported_parameter`: `n` > 1, `tools`,
            `tool_choice`, `functions`, `function_call`, `logprobs`, `top_logprobs`, `audio`,
            `modalities` other than text, `top_p` other than 1, penalties other than 0. Anything
            else is a validation error.
             Example: {'model': 'fake-1', 'messages': [{'role': 'user', 'content': 'Summarise the
            water cycle in one sentence.'}], 'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatCompletion | Problem]
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
    body: ChatCompletionRequest,
    api_version: str | Unset = UNSET,
) -> ChatCompletion | Problem | None:
    """Chat completion, OpenAI-compatible

     OpenAI's `POST /chat/completions`, for the tools and SDKs that speak it: point their
    base URL at `<server>/api/v1/openai` and use an API key of this service (or an access
    token) as the OpenAI key. It runs the same path as `POST /ai/completions`: the same
    allow-list of models (`GET /openai/models`), quotas and dollar budgets (reserved
    before the call), cache, fallbacks, usage rows and metrics. `stream: true` answers
    with OpenAI's chunks (`data: {chat.completion.chunk}` ... `data: [DONE]`), and a last
    chunk with `usage` when `stream_options.include_usage` is set. `response_format`
    `json_schema` makes the answer an object valid against the schema sent (validated,
    repaired up to `AI_VALIDATION_RETRIES` times; strict mode upstream unless the schema
    says `strict: false`), and `json_object` any JSON object. Parameters this server cannot honour
    are refused with 400 `unsupported_parameter` naming the parameter. Every error on this
    path is a problem document that also carries OpenAI's `error` object
    (`message`, `type`, `param`, `code`), which OpenAI SDKs read.

    Args:
        api_version (str | Unset):  Example: 1.0.0.
        body (ChatCompletionRequest): OpenAI's chat-completions request. Served: `model`,
            `messages`, `stream`,
            `stream_options.include_usage`, `max_tokens` / `max_completion_tokens`, `temperature`,
            `stop`, `response_format` (`text`, `json_schema`, `json_object`), `n` = 1, `user` and
            `seed` (accepted,
            ignored). Declared but refused with `unsupported_parameter`: `n` > 1, `tools`,
            `tool_choice`, `functions`, `function_call`, `logprobs`, `top_logprobs`, `audio`,
            `modalities` other than text, `top_p` other than 1, penalties other than 0. Anything
            else is a validation error.
             Example: {'model': 'fake-1', 'messages': [{'role': 'user', 'content': 'Summarise the
            water cycle in one sentence.'}], 'temperature': 0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatCompletion | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            api_version=api_version,
        )
    ).parsed
