from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_envelope import BatchEnvelope
from ...models.batch_request import BatchRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BatchRequest,
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
        "url": "/ai/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchEnvelope | Problem | None:
    if response.status_code == 200:
        response_200 = BatchEnvelope.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BatchRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[BatchEnvelope | Problem]:
    """Ask the model several things at once

     Runs up to `AI_BATCH_MAX` completion requests with at most `AI_BATCH_CONCURRENCY` at
    a time and returns one result per request, in input order: the completion, or the
    problem that request met (a failed request does not fail the batch). A batch whose
    worst case (each request's prompt estimate plus its `max_tokens`) cannot fit in what is
    left of today's budget is refused before anything runs (429 `ai_quota_exceeded`); each
    request then reserves its own. Usage is recorded per request, as for single ones, and
    the batch's `usage` and `cost_usd` add up every attempt of every request, failed ones
    included.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (BatchRequest):  Example: {'requests': [{'prompt': 'Name a blue mug.'}, {'prompt':
            'Summarise the water cycle.', 'response_schema': 'TextSummary'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | Problem]
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
    body: BatchRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> BatchEnvelope | Problem | None:
    """Ask the model several things at once

     Runs up to `AI_BATCH_MAX` completion requests with at most `AI_BATCH_CONCURRENCY` at
    a time and returns one result per request, in input order: the completion, or the
    problem that request met (a failed request does not fail the batch). A batch whose
    worst case (each request's prompt estimate plus its `max_tokens`) cannot fit in what is
    left of today's budget is refused before anything runs (429 `ai_quota_exceeded`); each
    request then reserves its own. Usage is recorded per request, as for single ones, and
    the batch's `usage` and `cost_usd` add up every attempt of every request, failed ones
    included.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (BatchRequest):  Example: {'requests': [{'prompt': 'Name a blue mug.'}, {'prompt':
            'Summarise the water cycle.', 'response_schema': 'TextSummary'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope | Problem
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
    body: BatchRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[BatchEnvelope | Problem]:
    """Ask the model several things at once

     Runs up to `AI_BATCH_MAX` completion requests with at most `AI_BATCH_CONCURRENCY` at
    a time and returns one result per request, in input order: the completion, or the
    problem that request met (a failed request does not fail the batch). A batch whose
    worst case (each request's prompt estimate plus its `max_tokens`) cannot fit in what is
    left of today's budget is refused before anything runs (429 `ai_quota_exceeded`); each
    request then reserves its own. Usage is recorded per request, as for single ones, and
    the batch's `usage` and `cost_usd` add up every attempt of every request, failed ones
    included.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (BatchRequest):  Example: {'requests': [{'prompt': 'Name a blue mug.'}, {'prompt':
            'Summarise the water cycle.', 'response_schema': 'TextSummary'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchEnvelope | Problem]
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
    body: BatchRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> BatchEnvelope | Problem | None:
    """Ask the model several things at once

     Runs up to `AI_BATCH_MAX` completion requests with at most `AI_BATCH_CONCURRENCY` at
    a time and returns one result per request, in input order: the completion, or the
    problem that request met (a failed request does not fail the batch). A batch whose
    worst case (each request's prompt estimate plus its `max_tokens`) cannot fit in what is
    left of today's budget is refused before anything runs (429 `ai_quota_exceeded`); each
    request then reserves its own. Usage is recorded per request, as for single ones, and
    the batch's `usage` and `cost_usd` add up every attempt of every request, failed ones
    included.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (BatchRequest):  Example: {'requests': [{'prompt': 'Name a blue mug.'}, {'prompt':
            'Summarise the water cycle.', 'response_schema': 'TextSummary'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            api_version=api_version,
        )
    ).parsed
