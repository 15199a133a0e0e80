from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.completion_envelope import CompletionEnvelope
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: Any,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(api_version, Unset):
        headers["API-Version"] = api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/ai/completions",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompletionEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = CompletionEnvelope.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[CompletionEnvelope | Problem]:
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
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[CompletionEnvelope | Problem]:
    """Ask the model

     Sends `messages` (or `prompt` and an optional `system`) to the configured provider
    (or the allowed `provider`/`model` named), and returns its text; with
    `response_schema`, an object valid against that schema (the answer is validated and,
    if invalid, the model is asked to repair it up to `AI_VALIDATION_RETRIES` times).
    Every provider call is recorded as usage (tokens, cost estimate, latency, outcome).
    A structured answer cut at `max_tokens` before it was complete is 422
    `ai_output_truncated` (raise `max_tokens`), without repair attempts.
    `warnings` flag `truncated`, `validation_warning` (repairs were needed),
    `low_confidence`, `high_token_usage`, `performance_warning`, `rate_limit_warning`,
    `unknown_price` (no price is known for the model: `cost_usd` is null; the operator
    prices it with `AI_PRICES`) and `provider_fallback`: when the chosen provider failed with a
    retryable error
    (timeout, connection error, 429, 5xx, overloaded) or its circuit breaker is open, the
    fallbacks of `AI_FALLBACKS` are tried in order; `provider` and `model` say who
    answered, and the warning's `details` name the provider(s) that failed and why
    (`failed`: `provider`, `model`, `code`; `circuit_open` = skipped). Request errors,
    refusals and invalid answers never fall back. When no provider can answer: 503
    `ai_provider_unavailable` with `Retry-After`.
    Each user has a daily budget by role in tokens (`AI_DAILY_TOKENS_<ROLE>`) and dollars
    (`AI_DAILY_USD_<ROLE>`), and an API key may have its own `daily_usd`. They are caps:
    before the provider call the request's worst case (prompt estimate plus `max_tokens`,
    and its price) is reserved, and settled to the real usage when the call ends (a
    fallback reserves its own worst case at its price); a call that may not fit is 429
    `ai_quota_exceeded` with `Retry-After` until the reset
    (midnight UTC). `max_tokens` above the role's ceiling is 400 `max_tokens_too_large`;
    under a dollar budget, a model without a known price is 400 `unknown_price`. An identical
    earlier request is answered from the cache (`cached: true`, no cost, no quota) unless
    `cache` is false. `readonly` (auditors) may not spend tokens.

    Args:
        idempotency_key (str | Unset):
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
        Response[CompletionEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
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
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> CompletionEnvelope | Problem | None:
    """Ask the model

     Sends `messages` (or `prompt` and an optional `system`) to the configured provider
    (or the allowed `provider`/`model` named), and returns its text; with
    `response_schema`, an object valid against that schema (the answer is validated and,
    if invalid, the model is asked to repair it up to `AI_VALIDATION_RETRIES` times).
    Every provider call is recorded as usage (tokens, cost estimate, latency, outcome).
    A structured answer cut at `max_tokens` before it was complete is 422
    `ai_output_truncated` (raise `max_tokens`), without repair attempts.
    `warnings` flag `truncated`, `validation_warning` (repairs were needed),
    `low_confidence`, `high_token_usage`, `performance_warning`, `rate_limit_warning`,
    `unknown_price` (no price is known for the model: `cost_usd` is null; the operator
    prices it with `AI_PRICES`) and `provider_fallback`: when the chosen provider failed with a
    retryable error
    (timeout, connection error, 429, 5xx, overloaded) or its circuit breaker is open, the
    fallbacks of `AI_FALLBACKS` are tried in order; `provider` and `model` say who
    answered, and the warning's `details` name the provider(s) that failed and why
    (`failed`: `provider`, `model`, `code`; `circuit_open` = skipped). Request errors,
    refusals and invalid answers never fall back. When no provider can answer: 503
    `ai_provider_unavailable` with `Retry-After`.
    Each user has a daily budget by role in tokens (`AI_DAILY_TOKENS_<ROLE>`) and dollars
    (`AI_DAILY_USD_<ROLE>`), and an API key may have its own `daily_usd`. They are caps:
    before the provider call the request's worst case (prompt estimate plus `max_tokens`,
    and its price) is reserved, and settled to the real usage when the call ends (a
    fallback reserves its own worst case at its price); a call that may not fit is 429
    `ai_quota_exceeded` with `Retry-After` until the reset
    (midnight UTC). `max_tokens` above the role's ceiling is 400 `max_tokens_too_large`;
    under a dollar budget, a model without a known price is 400 `unknown_price`. An identical
    earlier request is answered from the cache (`cached: true`, no cost, no quota) unless
    `cache` is false. `readonly` (auditors) may not spend tokens.

    Args:
        idempotency_key (str | Unset):
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
        CompletionEnvelope | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        api_version=api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[CompletionEnvelope | Problem]:
    """Ask the model

     Sends `messages` (or `prompt` and an optional `system`) to the configured provider
    (or the allowed `provider`/`model` named), and returns its text; with
    `response_schema`, an object valid against that schema (the answer is validated and,
    if invalid, the model is asked to repair it up to `AI_VALIDATION_RETRIES` times).
    Every provider call is recorded as usage (tokens, cost estimate, latency, outcome).
    A structured answer cut at `max_tokens` before it was complete is 422
    `ai_output_truncated` (raise `max_tokens`), without repair attempts.
    `warnings` flag `truncated`, `validation_warning` (repairs were needed),
    `low_confidence`, `high_token_usage`, `performance_warning`, `rate_limit_warning`,
    `unknown_price` (no price is known for the model: `cost_usd` is null; the operator
    prices it with `AI_PRICES`) and `provider_fallback`: when the chosen provider failed with a
    retryable error
    (timeout, connection error, 429, 5xx, overloaded) or its circuit breaker is open, the
    fallbacks of `AI_FALLBACKS` are tried in order; `provider` and `model` say who
    answered, and the warning's `details` name the provider(s) that failed and why
    (`failed`: `provider`, `model`, `code`; `circuit_open` = skipped). Request errors,
    refusals and invalid answers never fall back. When no provider can answer: 503
    `ai_provider_unavailable` with `Retry-After`.
    Each user has a daily budget by role in tokens (`AI_DAILY_TOKENS_<ROLE>`) and dollars
    (`AI_DAILY_USD_<ROLE>`), and an API key may have its own `daily_usd`. They are caps:
    before the provider call the request's worst case (prompt estimate plus `max_tokens`,
    and its price) is reserved, and settled to the real usage when the call ends (a
    fallback reserves its own worst case at its price); a call that may not fit is 429
    `ai_quota_exceeded` with `Retry-After` until the reset
    (midnight UTC). `max_tokens` above the role's ceiling is 400 `max_tokens_too_large`;
    under a dollar budget, a model without a known price is 400 `unknown_price`. An identical
    earlier request is answered from the cache (`cached: true`, no cost, no quota) unless
    `cache` is false. `readonly` (auditors) may not spend tokens.

    Args:
        idempotency_key (str | Unset):
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
        Response[CompletionEnvelope | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        api_version=api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> CompletionEnvelope | Problem | None:
    """Ask the model

     Sends `messages` (or `prompt` and an optional `system`) to the configured provider
    (or the allowed `provider`/`model` named), and returns its text; with
    `response_schema`, an object valid against that schema (the answer is validated and,
    if invalid, the model is asked to repair it up to `AI_VALIDATION_RETRIES` times).
    Every provider call is recorded as usage (tokens, cost estimate, latency, outcome).
    A structured answer cut at `max_tokens` before it was complete is 422
    `ai_output_truncated` (raise `max_tokens`), without repair attempts.
    `warnings` flag `truncated`, `validation_warning` (repairs were needed),
    `low_confidence`, `high_token_usage`, `performance_warning`, `rate_limit_warning`,
    `unknown_price` (no price is known for the model: `cost_usd` is null; the operator
    prices it with `AI_PRICES`) and `provider_fallback`: when the chosen provider failed with a
    retryable error
    (timeout, connection error, 429, 5xx, overloaded) or its circuit breaker is open, the
    fallbacks of `AI_FALLBACKS` are tried in order; `provider` and `model` say who
    answered, and the warning's `details` name the provider(s) that failed and why
    (`failed`: `provider`, `model`, `code`; `circuit_open` = skipped). Request errors,
    refusals and invalid answers never fall back. When no provider can answer: 503
    `ai_provider_unavailable` with `Retry-After`.
    Each user has a daily budget by role in tokens (`AI_DAILY_TOKENS_<ROLE>`) and dollars
    (`AI_DAILY_USD_<ROLE>`), and an API key may have its own `daily_usd`. They are caps:
    before the provider call the request's worst case (prompt estimate plus `max_tokens`,
    and its price) is reserved, and settled to the real usage when the call ends (a
    fallback reserves its own worst case at its price); a call that may not fit is 429
    `ai_quota_exceeded` with `Retry-After` until the reset
    (midnight UTC). `max_tokens` above the role's ceiling is 400 `max_tokens_too_large`;
    under a dollar budget, a model without a known price is 400 `unknown_price`. An identical
    earlier request is answered from the cache (`cached: true`, no cost, no quota) unless
    `cache` is false. `readonly` (auditors) may not spend tokens.

    Args:
        idempotency_key (str | Unset):
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
        CompletionEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            api_version=api_version,
        )
    ).parsed
