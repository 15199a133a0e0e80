from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_completion_request import JobCompletionRequest
from ...models.job_envelope import JobEnvelope
from ...models.job_recipe_request import JobRecipeRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: JobCompletionRequest | JobRecipeRequest,
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
        "url": "/ai/jobs",
    }

    if isinstance(body, JobCompletionRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JobEnvelope | Problem | None:
    if response.status_code == 202:
        response_202 = JobEnvelope.from_dict(response.json())

        return response_202

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
) -> Response[JobEnvelope | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: JobCompletionRequest | JobRecipeRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[JobEnvelope | Problem]:
    """Start an async completion or recipe

     Queues a completion (`kind: completion`, a `CompletionRequest`) or a recipe generation
    (`kind: recipe`, a `RecipeGenerateRequest`) and answers at once with 202, the job
    (`queued`) and its URL in `Location`; poll `GET /ai/jobs/{job_id}` until it is
    `succeeded` (with `result`), `failed` (with `problem`, the one the synchronous request
    would have got) or `cancelled`. A worker runs it (a Celery worker with a broker, else a
    thread pool in the API process) with the same usage, cache, quota and warnings as the
    synchronous request. A job whose worker died is retried up to `JOBS_MAX_ATTEMPTS`
    times, then failed with `job_worker_lost` (a killed attempt's budget reservation stays
    charged). A `provider`/`model` off the allow-list is refused at once (400
    `unsupported_model`), and so is a job whose worst case cannot fit in what is left of
    today's budget (429 `ai_quota_exceeded`) or whose model has no known price under a
    dollar budget (400 `unknown_price`); the budget is reserved when it runs.
    `readonly` may not spend tokens.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (JobCompletionRequest | JobRecipeRequest): A completion or a recipe request, named by
            `kind`. Example: {'kind': 'completion', 'completion': {'prompt': 'Summarise the water
            cycle.'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobEnvelope | Problem]
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
    body: JobCompletionRequest | JobRecipeRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> JobEnvelope | Problem | None:
    """Start an async completion or recipe

     Queues a completion (`kind: completion`, a `CompletionRequest`) or a recipe generation
    (`kind: recipe`, a `RecipeGenerateRequest`) and answers at once with 202, the job
    (`queued`) and its URL in `Location`; poll `GET /ai/jobs/{job_id}` until it is
    `succeeded` (with `result`), `failed` (with `problem`, the one the synchronous request
    would have got) or `cancelled`. A worker runs it (a Celery worker with a broker, else a
    thread pool in the API process) with the same usage, cache, quota and warnings as the
    synchronous request. A job whose worker died is retried up to `JOBS_MAX_ATTEMPTS`
    times, then failed with `job_worker_lost` (a killed attempt's budget reservation stays
    charged). A `provider`/`model` off the allow-list is refused at once (400
    `unsupported_model`), and so is a job whose worst case cannot fit in what is left of
    today's budget (429 `ai_quota_exceeded`) or whose model has no known price under a
    dollar budget (400 `unknown_price`); the budget is reserved when it runs.
    `readonly` may not spend tokens.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (JobCompletionRequest | JobRecipeRequest): A completion or a recipe request, named by
            `kind`. Example: {'kind': 'completion', 'completion': {'prompt': 'Summarise the water
            cycle.'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobEnvelope | Problem
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
    body: JobCompletionRequest | JobRecipeRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> Response[JobEnvelope | Problem]:
    """Start an async completion or recipe

     Queues a completion (`kind: completion`, a `CompletionRequest`) or a recipe generation
    (`kind: recipe`, a `RecipeGenerateRequest`) and answers at once with 202, the job
    (`queued`) and its URL in `Location`; poll `GET /ai/jobs/{job_id}` until it is
    `succeeded` (with `result`), `failed` (with `problem`, the one the synchronous request
    would have got) or `cancelled`. A worker runs it (a Celery worker with a broker, else a
    thread pool in the API process) with the same usage, cache, quota and warnings as the
    synchronous request. A job whose worker died is retried up to `JOBS_MAX_ATTEMPTS`
    times, then failed with `job_worker_lost` (a killed attempt's budget reservation stays
    charged). A `provider`/`model` off the allow-list is refused at once (400
    `unsupported_model`), and so is a job whose worst case cannot fit in what is left of
    today's budget (429 `ai_quota_exceeded`) or whose model has no known price under a
    dollar budget (400 `unknown_price`); the budget is reserved when it runs.
    `readonly` may not spend tokens.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (JobCompletionRequest | JobRecipeRequest): A completion or a recipe request, named by
            `kind`. Example: {'kind': 'completion', 'completion': {'prompt': 'Summarise the water
            cycle.'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobEnvelope | Problem]
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
    body: JobCompletionRequest | JobRecipeRequest,
    idempotency_key: str | Unset = UNSET,
    api_version: str | Unset = UNSET,
) -> JobEnvelope | Problem | None:
    """Start an async completion or recipe

     Queues a completion (`kind: completion`, a `CompletionRequest`) or a recipe generation
    (`kind: recipe`, a `RecipeGenerateRequest`) and answers at once with 202, the job
    (`queued`) and its URL in `Location`; poll `GET /ai/jobs/{job_id}` until it is
    `succeeded` (with `result`), `failed` (with `problem`, the one the synchronous request
    would have got) or `cancelled`. A worker runs it (a Celery worker with a broker, else a
    thread pool in the API process) with the same usage, cache, quota and warnings as the
    synchronous request. A job whose worker died is retried up to `JOBS_MAX_ATTEMPTS`
    times, then failed with `job_worker_lost` (a killed attempt's budget reservation stays
    charged). A `provider`/`model` off the allow-list is refused at once (400
    `unsupported_model`), and so is a job whose worst case cannot fit in what is left of
    today's budget (429 `ai_quota_exceeded`) or whose model has no known price under a
    dollar budget (400 `unknown_price`); the budget is reserved when it runs.
    `readonly` may not spend tokens.

    Args:
        idempotency_key (str | Unset):
        api_version (str | Unset):  Example: 1.0.0.
        body (JobCompletionRequest | JobRecipeRequest): A completion or a recipe request, named by
            `kind`. Example: {'kind': 'completion', 'completion': {'prompt': 'Summarise the water
            cycle.'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobEnvelope | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            api_version=api_version,
        )
    ).parsed
